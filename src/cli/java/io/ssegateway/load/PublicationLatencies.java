package io.ssegateway.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Publish-to-receive latency of each publication of a run that has few (a broadcast scenario's),
 * told apart by the publish time the publisher put into the event's data. A run's latency over all
 * its events mixes broadcasts that overlap or run cold with those that do not; a broadcast's own
 * p99 is what a user waits for it. Only the first {@value #TRACKED} publications are kept: a run
 * with more has no figures here.
 *
 * <p>Not thread-safe: one per selector loop, merged by {@link #merge} under the loops' locks.
 */
final class PublicationLatencies {
    static final int TRACKED = 16;

    /** One publication's figures, in milliseconds. */
    record Figures(long deliveries, double p50Ms, double p99Ms, double maxMs) {
    }

    private final long[] publishedMicros = new long[TRACKED];
    private final Histogram[] latencies = new Histogram[TRACKED];
    private int count;
    private boolean overflowed;

    /** Records {@code latencyMicros} for the publication made at {@code publishedAtMicros}. */
    void record(long publishedAtMicros, long latencyMicros) {
        for (int i = count - 1; i >= 0; i--) {
            if (publishedMicros[i] == publishedAtMicros) {
                latencies[i].recordValue(latencyMicros);
                return;
            }
        }
        if (count == TRACKED) {
            overflowed = true;
            return;
        }
        publishedMicros[count] = publishedAtMicros;
        latencies[count] = new Histogram(60_000_000L, 3);
        latencies[count++].recordValue(latencyMicros);
    }

    /** Each publication's figures over all {@code parts}, in publish order; empty if one overflowed. */
    static List<Figures> merge(List<PublicationLatencies> parts) {
        Map<Long, Histogram> byTime = new TreeMap<>();
        for (PublicationLatencies part : parts) {
            if (part.overflowed) {
                return List.of();
            }
            for (int i = 0; i < part.count; i++) {
                byTime.computeIfAbsent(part.publishedMicros[i], t -> new Histogram(60_000_000L, 3)).add(part.latencies[i]);
            }
        }
        if (byTime.size() > TRACKED) {
            return List.of();
        }
        List<Figures> figures = new ArrayList<>();
        for (Histogram h : byTime.values()) {
            figures.add(new Figures(h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0));
        }
        return figures;
    }
}
