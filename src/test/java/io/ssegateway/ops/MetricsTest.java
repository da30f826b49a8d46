package io.ssegateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.bench.PrometheusText;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Metrics;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/** Issue 4, point 1: every metric exists under its conventional name and moves with traffic. */
class MetricsTest {

    @Test
    void everyMetricIsExposedAndMovesWithTraffic() throws Exception {
        HttpClient http = Clients.started(8);
        try (TestGateway gw = TestGateway.start("history-max-events", "2", "max-streams", "3", "heartbeat", "1s", "idle-timeout", "5s")) {
            String first = gw.publishOk("m", "0");
            gw.publishOk("m", "1");
            gw.publishOk("m", "2");
            gw.publishOk("m", "3");
            // History holds the last 2: resuming after the first gives a gap event and 2 replayed events.
            SseClient resumed = SseClient.connect(http, gw.url("/events?topic=m"), first);
            resumed.take(3, Duration.ofSeconds(5));
            SseClient live = SseClient.connect(http, gw.url("/events?topic=m"));
            live.nextComment(Duration.ofSeconds(5));
            gw.publishOk("m", "4");
            live.next();
            // Both streams were open for "4": wait for the second one's write too, or the scrape may
            // come before it (publish-to-write below counts one observation per stream's write).
            assertEquals("4", resumed.next().data());
            gw.get("/events");
            live.close();
            PrometheusText text = Metrics.of(gw);
            assertAtLeast(text, "sse_streams_open", 1);
            assertAtLeast(text, "sse_streams_max", 3);
            assertAtLeast(text, "sse_streams_opened_total", 2);
            assertAtLeast(text, "sse_requests_rejected_total{reason=\"bad-input\"}", 1);
            assertAtLeast(text, "sse_events_published_total", 5);
            assertAtLeast(text, "sse_frames_delivered_total", 2);
            assertAtLeast(text, "sse_bytes_written_total", 100);
            assertAtLeast(text, "sse_socket_writes_total", 2);
            assertAtLeast(text, "sse_queued_bytes", 0);
            assertAtLeast(text, "sse_frames_dropped_total", 0);
            assertAtLeast(text, "sse_events_replayed_total", 2);
            assertAtLeast(text, "sse_gaps_signalled_total{reason=\"history-trimmed\"}", 1);
            assertAtLeast(text, "sse_broker_connected", 1);
            assertAtLeast(text, "sse_broker_reconnects_total", 0);
            assertAtLeast(text, "sse_publish_to_write_seconds_count", 2);
            assertAtLeast(text, "sse_publish_to_write_seconds_bucket{le=\"0.05\"}", 1);
            assertAtLeast(text, "process_open_fds", 10);
            assertAtLeast(text, "process_max_fds", 1000);
            assertAtLeast(text, "jvm_memory_used_bytes{area=\"heap\"}", 1);
            resumed.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Metrics.of(gw).has("sse_streams_closed_total{reason=\"client-gone\"}") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertAtLeast(Metrics.of(gw), "sse_streams_closed_total{reason=\"client-gone\"}", 1);
        } finally {
            http.stop();
        }
    }

    private static void assertAtLeast(PrometheusText metrics, String series, double min) {
        assertTrue(metrics.has(series), "metric " + series + " is missing");
        double value = metrics.value(series);
        assertTrue(value >= min, series + " = " + value + ", expected at least " + min);
    }

    /** Issue 13, point 7: events sent from history are not publish-to-write latency (they were published before the client came). */
    @Test
    void replayedEventsAreNotCountedAsPublishToWriteLatency() throws Exception {
        HttpClient http = Clients.started(8);
        try (TestGateway gw = TestGateway.start()) {
            String first = gw.publishOk("r", "0");
            for (int i = 1; i <= 5; i++) {
                gw.publishOk("r", Integer.toString(i));
            }
            Thread.sleep(1100); // old enough that counting them would put them in a bucket above one second
            try (SseClient resumed = SseClient.connect(http, gw.url("/events?topic=r"), first)) {
                resumed.take(5, Duration.ofSeconds(5));
                assertEquals(5.0, Metrics.value(gw, "sse_events_replayed_total"));
                assertEquals(0.0, Metrics.value(gw, "sse_publish_to_write_seconds_count"), "replays are not latency");
                gw.publishOk("r", "live");
                resumed.next(Duration.ofSeconds(5), "the live event");
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (Metrics.value(gw, "sse_publish_to_write_seconds_count") < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(1.0, Metrics.value(gw, "sse_publish_to_write_seconds_count"), "the live write is");
                assertEquals(1.0, Metrics.value(gw, "sse_publish_to_write_seconds_bucket{le=\"1.0\"}"), "and it was fast");
            }
        } finally {
            http.stop();
        }
    }

    /** Issue 13, point 3: the version and the node's name in /health and in sse_build_info. */
    @Test
    void healthAndMetricsNameTheVersionAndTheNode() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            String health = gw.get("/health").body();
            String version = io.ssegateway.testing.Json.field(health, "version");
            String node = io.ssegateway.testing.Json.field(health, "node");
            assertEquals(BuildInfo.version(), version);
            assertEquals(gw.gateway().nodeName(), node);
            assertTrue(node.contains("/" + ProcessHandle.current().pid()), node);
            assertEquals(1.0, Metrics.value(gw, "sse_build_info{node=\"" + node + "\",version=\"" + version + "\"}"));
        }
    }
}
