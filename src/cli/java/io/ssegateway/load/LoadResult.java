package io.ssegateway.load;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;

/**
 * The outcome of a load run, for machines ({@link #toJson()}) and people ({@link #summary()}).
 * Latencies are publish-to-receive in milliseconds; lost counts events published to a stream's
 * topic (acknowledged with 200) that the stream never received. These figures are taken when the
 * deliveries are done; {@code byPublication} has each publication's latency when the run made at
 * most {@value PublicationLatencies#TRACKED} (else it is empty); {@code resume} is what a resuming
 * load saw after that (or null).
 */
public record LoadResult(int streams, long established, long failed, double establishSeconds, long published,
                         long expected, long received, long lost, long duplicates, long outOfOrder,
                         double deliverySeconds, double p50Ms, double p90Ms, double p99Ms, double maxMs,
                         List<PublicationLatencies.Figures> byPublication, ResumeResult resume) {

    public double deliveriesPerSecond() {
        return deliverySeconds > 0 ? received / deliverySeconds : 0;
    }

    /** No stream failed and no event was lost, duplicated or out of order, resumed streams included. */
    public boolean clean() {
        return failed == 0 && lost == 0 && duplicates == 0 && outOfOrder == 0 && (resume == null || resume.clean());
    }

    /** The same figures with what the resuming load saw after them. */
    LoadResult withResume(ResumeResult r) {
        return new LoadResult(streams, established, failed, establishSeconds, published, expected, received, lost, duplicates,
            outOfOrder, deliverySeconds, p50Ms, p90Ms, p99Ms, maxMs, byPublication, r);
    }

    public JsonObject toJson() {
        var json = Json.createObjectBuilder()
            .add("streams", streams).add("established", established).add("failed", failed)
            .add("establishSeconds", establishSeconds).add("published", published).add("expected", expected)
            .add("received", received).add("lost", lost).add("duplicates", duplicates).add("outOfOrder", outOfOrder)
            .add("deliverySeconds", deliverySeconds).add("deliveriesPerSecond", deliveriesPerSecond())
            .add("latencyMs", Json.createObjectBuilder().add("p50", p50Ms).add("p90", p90Ms).add("p99", p99Ms).add("max", maxMs));
        if (!byPublication.isEmpty()) {
            var each = Json.createArrayBuilder();
            for (PublicationLatencies.Figures f : byPublication) {
                each.add(Json.createObjectBuilder().add("deliveries", f.deliveries()).add("p50", f.p50Ms()).add("p99", f.p99Ms())
                    .add("max", f.maxMs()));
            }
            json.add("latencyMsByPublication", each);
        }
        if (resume != null) {
            json.add("resume", resume.toJson());
        }
        return json.build();
    }

    public String summary() {
        return String.format("streams %d: %d established in %.1f s, %d failed%n"
                + "events: %d published, %d deliveries expected, %d received, %d lost, %d duplicated, %d out of order%n"
                + "throughput: %.0f deliveries/s over %.2f s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
            streams, established, establishSeconds, failed, published, expected, received, lost, duplicates, outOfOrder,
            deliveriesPerSecond(), deliverySeconds, p50Ms, p90Ms, p99Ms, maxMs) + publicationsSummary()
            + (resume == null ? "" : System.lineSeparator() + resume.summary());
    }

    /** Each publication's p99 on a line of its own, or nothing when there are none or too many. */
    private String publicationsSummary() {
        if (byPublication.isEmpty()) {
            return "";
        }
        StringBuilder line = new StringBuilder(System.lineSeparator()).append("p99 of each publication:");
        for (PublicationLatencies.Figures f : byPublication) {
            line.append(String.format(" %.1f ms (%d deliveries);", f.p99Ms(), f.deliveries()));
        }
        return line.substring(0, line.length() - 1);
    }
}
