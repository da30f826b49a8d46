package io.ssegateway.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The young generation a node needs for the streams it is configured to hold, under the production
 * profile's collector (parallel, with a young generation of fixed size: {@code -Xmn}).
 *
 * <p>Why: a broadcast allocates about 440 B per delivery (frames, callbacks, Jetty's write entries),
 * and every young collection scans the old generation's cards that the broadcast dirtied, which are
 * spread over every stream's memory, so its cost grows with the streams held, not with the
 * garbage. With the profile's 64 MB, a broadcast to 1,000,000 HTTP/2 streams took 7 young collections of
 * about 110 ms each; with 489 MB one of 190-330 ms, and the gateway's CPU per delivery went from a
 * median of 4.28 us to 3.56 us over nine broadcasts each (docs/performance.md, "A young generation for a million").
 * A larger young generation is resident once used, so it follows the configured
 * {@code max-streams} ({@link #BYTES_PER_STREAM} each), never less than the profile's 64 MB: a node
 * of 19,000 streams keeps its small footprint.
 */
public final class YoungGeneration {
    /** Young generation per configured stream: one young collection per broadcast to all of them. */
    public static final long BYTES_PER_STREAM = 512;
    /** The profile's own {@code -Xmn} (jvm/sse-gateway.args). */
    public static final long PROFILE_BYTES = 64L << 20;
    /** What a broadcast allocates per delivery, measured at 1,000,000 HTTP/2 streams (7 x 63 MB). */
    private static final long ALLOCATED_PER_DELIVERY = 440;

    private YoungGeneration() {
    }

    /** The young generation for {@code maxStreams} configured streams, in whole MiB: at least the profile's. */
    public static long megabytesFor(int maxStreams) {
        long bytes = Math.max(PROFILE_BYTES, maxStreams * BYTES_PER_STREAM);
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /**
     * The most this JVM's young generation may take (eden and both survivor spaces; the JVM reports
     * one survivor space), or empty if its collector sizes it freely (G1, ZGC and Shenandoah report
     * no maximum for it).
     */
    public static OptionalLong currentMaxBytes() {
        long sum = 0;
        boolean found = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP && (name.contains("Eden") || name.contains("Survivor"))) {
                long max = pool.getUsage().getMax();
                if (max < 0) {
                    return OptionalLong.empty();
                }
                sum += name.contains("Survivor") ? 2 * max : max;
                found = true;
            }
        }
        return found ? OptionalLong.of(sum) : OptionalLong.empty();
    }

    /** {@link #warning(int, long)} for this JVM's young generation; empty if its collector sizes it freely. */
    public static Optional<String> warning(int configuredMaxStreams) {
        OptionalLong young = currentMaxBytes();
        return young.isPresent() ? warning(configuredMaxStreams, young.getAsLong()) : Optional.empty();
    }

    /**
     * A warning for the start-up log if {@code configuredMaxStreams} (0: not configured, derived from
     * the open-file limit, which says nothing of the streams intended) need a larger young
     * generation than {@code currentBytes}; empty otherwise.
     */
    public static Optional<String> warning(int configuredMaxStreams, long currentBytes) {
        long wanted = megabytesFor(configuredMaxStreams);
        // The JVM aligns the spaces (-Xmn64m may show as 63 MB): only a real shortfall counts.
        if (configuredMaxStreams <= 0 || currentBytes >= (wanted << 20) * 9 / 10) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "the young generation (%d MB) is small for max-streams %,d: "
            + "a broadcast to all of them would take about %d young collections, each scanning every stream's memory; "
            + "start the JVM with -Xmn%dm after @jvm/sse-gateway.args (README, \"A node for more than about 130,000 streams\")",
            currentBytes >> 20, configuredMaxStreams,
            (configuredMaxStreams * ALLOCATED_PER_DELIVERY + currentBytes - 1) / Math.max(1, currentBytes), wanted));
    }
}
