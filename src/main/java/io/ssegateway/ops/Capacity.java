package io.ssegateway.ops;

import io.ssegateway.config.ConfigException;
import io.ssegateway.config.GatewayConfig;

/**
 * How many streams and connections this process can hold without running out of file
 * descriptors. Every stream is one socket; the reserve covers everything else (publishers,
 * answers to refused clients, broker connections, jars, logs).
 *
 * @param maxStreams     streams admitted at most
 * @param maxConnections connections the embedded server accepts at most: the open-file limit less
 *                       three quarters of the reserve, whatever {@code max-streams} is. Connections
 *                       that are not streams (publishers, answers to refused clients, requests still
 *                       arriving) therefore never compete with streams below {@code max-streams}, and
 *                       with the default {@code max-streams} this is streams plus a quarter of the
 *                       reserve. The other three quarters stay free for files, broker
 *                       connections and the sockets that are closed but not yet released:
 *                       the JDK frees a closed channel's descriptor only at its selector's
 *                       next select, so a burst of refused
 *                       clients briefly holds more descriptors than connections (measured: over
 *                       100 during 1,000 refusals in a second on 2 cores)
 * @param explanation    one line for the start-up log
 */
public record Capacity(int maxStreams, int maxConnections, String explanation) {
    /**
     * The listen backlog the embedded server asks of the kernel: where connections beyond
     * {@link #maxConnections} and a reconnect storm's connections wait until they are accepted. The
     * kernel caps it at {@code net.core.somaxconn} (65,535 on a host tuned with
     * systemd/99-sse-gateway.conf, 4,096 by Linux's default), and the doctor judges that cap against
     * it. A SYN that finds the queue full is dropped and retried by the client 1 s, then 3 s later.
     * 15,000 HTTP/1.1 clients connecting at once to a fresh node (h2load, in a network namespace with
     * the sysctl file's settings) overflowed a backlog of 4,096 by 2,055 and 2,725 SYNs, their last
     * response coming after 1.8-2.1 s; asking 65,535 dropped none (1.5 s). Earlier measurements that
     * found no gain (docs/performance.md) had clients whose connects trickled in; ReconnectStormIT
     * holds it.
     */
    public static final int ACCEPT_BACKLOG = 65535;

    public static Capacity derive(GatewayConfig config, FileLimits limits) {
        int reserve = config.limits().fdReserve();
        long soft = limits.soft();
        int required = config.limits().requiredStreams();
        if (required > 0 && soft - reserve < required) {
            throw new ConfigException(notEnoughFiles(required, reserve, limits));
        }
        if (config.limits().maxStreams() > 0) {
            int max = config.limits().maxStreams();
            return new Capacity(max, connections(soft, reserve),
                "max-streams " + max + " (configured); open-file limit " + describe(soft) + " from " + limits.source());
        }
        long max = Math.min(soft - reserve, Integer.MAX_VALUE - reserve);
        if (max < 1) {
            throw new IllegalStateException("open-file limit " + soft + " leaves no room for streams after fd-reserve "
                + reserve + "; raise the limit (ulimit -n, LimitNOFILE=) or lower SSE_FD_RESERVE");
        }
        return new Capacity((int) max, connections(soft, reserve),
            "max-streams " + max + " = open-file limit " + soft + " (" + limits.source() + ") - fd-reserve " + reserve);
    }

    private static int connections(long softLimit, int reserve) {
        return (int) Math.min(Math.max(softLimit - reserve * 3L / 4, 1), Integer.MAX_VALUE);
    }

    /** The start-up guard's message: what is missing and the exact fix in each environment. */
    static String notEnoughFiles(int required, int reserve, FileLimits limits) {
        long needed = (long) required + reserve;
        return "SSE_REQUIRED_STREAMS=" + required + " needs an open-file limit of at least " + needed
            + " (streams + fd-reserve " + reserve + "), but this process has " + describe(limits.soft())
            + " (soft) / " + describe(limits.hard()) + " (hard) from " + limits.source() + ". Fix it where the gateway runs:\n"
            + "  systemd:    LimitNOFILE=" + Math.max(needed, 1048576) + " in the [Service] section (see systemd/sse-gateway.service),"
            + " then systemctl daemon-reload && systemctl restart sse-gateway\n"
            + "  shell:      ulimit -n " + needed + " before java -jar (raise the hard limit in /etc/security/limits.conf:"
            + " '* hard nofile " + needed + "')\n"
            + "  containers: docker run --ulimit nofile=" + needed + ":" + needed
            + " (Kubernetes: raise the node's containerd/docker LimitNOFILE)\n"
            + "  kernel:     fs.nr_open and fs.file-max must exceed it too (see systemd/99-sse-gateway.conf)";
    }

    private static String describe(long n) {
        return n == Long.MAX_VALUE ? "unlimited" : Long.toString(n);
    }
}
