package io.ssegateway.ops;

import io.ssegateway.config.GatewayConfig;

/**
 * How many streams and connections this process can hold without running out of file
 * descriptors. Every stream is one socket; the reserve covers everything else (publishers,
 * answers to refused clients, Redis, jars, logs).
 *
 * @param maxStreams     streams admitted at most
 * @param maxConnections connections the embedded server accepts at most: streams plus a quarter of
 *                       the reserve, so that publishers and 503 answers still get through when
 *                       full. The other three quarters stay free for files, Redis, and the sockets
 *                       that are closed but not yet released: the JDK frees a closed channel's
 *                       descriptor only at its selector's next select, so a burst of refused
 *                       clients briefly holds more descriptors than connections (measured: over
 *                       100 during 1,000 refusals in a second on 2 cores)
 * @param explanation    one line for the start-up log
 */
public record Capacity(int maxStreams, int maxConnections, String explanation) {

    public static Capacity derive(GatewayConfig config, FileLimits limits) {
        int reserve = config.fdReserve();
        long soft = limits.soft();
        if (config.maxStreams() > 0) {
            int max = config.maxStreams();
            long connections = Math.min((long) max + reserve / 4, Math.max(soft - reserve * 3L / 4, 1));
            return new Capacity(max, (int) Math.min(connections, Integer.MAX_VALUE),
                "max-streams " + max + " (configured); open-file limit " + describe(soft) + " from " + limits.source());
        }
        long max = Math.min(soft - reserve, Integer.MAX_VALUE - reserve);
        if (max < 1) {
            throw new IllegalStateException("open-file limit " + soft + " leaves no room for streams after fd-reserve "
                + reserve + "; raise the limit (ulimit -n, LimitNOFILE=) or lower SSE_FD_RESERVE");
        }
        return new Capacity((int) max, (int) (max + reserve / 4),
            "max-streams " + max + " = open-file limit " + soft + " (" + limits.source() + ") - fd-reserve " + reserve);
    }

    private static String describe(long n) {
        return n == Long.MAX_VALUE ? "unlimited" : Long.toString(n);
    }
}
