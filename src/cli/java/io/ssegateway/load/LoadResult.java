package io.ssegateway.load;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The outcome of a load run, for machines ({@link #toJson()}) and people ({@link #summary()}).
 * Latencies are publish-to-receive in milliseconds; lost counts events published to a stream's
 * topic (acknowledged with 200) that the stream never received.
 */
public record LoadResult(int streams, long established, long failed, double establishSeconds, long published,
                         long expected, long received, long lost, long duplicates, long outOfOrder,
                         double deliverySeconds, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

    public double deliveriesPerSecond() {
        return deliverySeconds > 0 ? received / deliverySeconds : 0;
    }

    public JsonObject toJson() {
        return Json.createObjectBuilder()
            .add("streams", streams).add("established", established).add("failed", failed)
            .add("establishSeconds", establishSeconds).add("published", published).add("expected", expected)
            .add("received", received).add("lost", lost).add("duplicates", duplicates).add("outOfOrder", outOfOrder)
            .add("deliverySeconds", deliverySeconds).add("deliveriesPerSecond", deliveriesPerSecond())
            .add("latencyMs", Json.createObjectBuilder().add("p50", p50Ms).add("p90", p90Ms).add("p99", p99Ms).add("max", maxMs))
            .build();
    }

    public String summary() {
        return String.format("streams %d: %d established in %.1f s, %d failed%n"
                + "events: %d published, %d deliveries expected, %d received, %d lost, %d duplicated, %d out of order%n"
                + "throughput: %.0f deliveries/s over %.2f s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
            streams, established, establishSeconds, failed, published, expected, received, lost, duplicates, outOfOrder,
            deliveriesPerSecond(), deliverySeconds, p50Ms, p90Ms, p99Ms, maxMs);
    }
}
