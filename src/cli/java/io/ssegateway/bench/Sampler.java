package io.ssegateway.bench;

import io.ssegateway.concurrent.DaemonThreads;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Samples the gateways of a scenario twice a second: resident memory and CPU time from /proc,
 * open streams and the publish-to-write latency histogram from /metrics (p99 of each interval).
 */
final class Sampler implements AutoCloseable {
    record Sample(double seconds, long rssBytes, long cpuMillis, double streams, double p99Ms) {
    }

    private final List<GatewayUnderTest> gateways;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private final long start = System.nanoTime();
    private volatile boolean running = true;
    private Map<Double, Double> previousBuckets = new TreeMap<>();

    Sampler(List<GatewayUnderTest> gateways) {
        this.gateways = gateways;
        this.thread = DaemonThreads.named("bench-sampler").newThread(this::loop);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                long rss = 0;
                long cpu = 0;
                double streams = 0;
                Map<Double, Double> buckets = new TreeMap<>();
                for (GatewayUnderTest g : gateways) {
                    rss += ProcessProbe.rssBytes(g.pid());
                    cpu += ProcessProbe.cpuMillis(g.pid());
                    PrometheusText metrics = PrometheusText.parse(g.get("/metrics").body());
                    streams += metrics.value("sse_streams_open");
                    metrics.buckets("sse_publish_to_write_seconds").forEach((bound, count) -> buckets.merge(bound, count, Double::sum));
                }
                synchronized (samples) {
                    samples.add(new Sample((System.nanoTime() - start) / 1e9, rss, cpu, streams, p99(buckets)));
                }
                previousBuckets = buckets;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                // a gateway that is stopping or restarting (the million scenario): sample again later
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The p99 upper bound of observations made since the previous sample, in ms; NaN if none. */
    private double p99(Map<Double, Double> now) {
        double total = 0;
        for (Map.Entry<Double, Double> e : now.entrySet()) {
            if (e.getKey().isInfinite()) {
                total = e.getValue() - previousBuckets.getOrDefault(e.getKey(), 0.0);
            }
        }
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> e : now.entrySet()) {
            if (e.getValue() - previousBuckets.getOrDefault(e.getKey(), 0.0) >= 0.99 * total) {
                return e.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    JsonArrayBuilder toJson() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (Sample s : samples()) {
            array.add(Json.createObjectBuilder().add("t", s.seconds()).add("rssBytes", s.rssBytes())
                .add("cpuMillis", s.cpuMillis()).add("streams", s.streams())
                .add("p99Ms", Double.isNaN(s.p99Ms()) || Double.isInfinite(s.p99Ms()) ? -1 : s.p99Ms()));
        }
        return array;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
    }
}
