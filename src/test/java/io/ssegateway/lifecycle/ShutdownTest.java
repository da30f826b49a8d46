package io.ssegateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.BusyAnswers;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/** Point 8 of the core issue: orderly, bounded shutdown that loses nothing. */
class ShutdownTest {

    @Test
    void everyStreamGetsServerShutdownWithAJitteredRetryThenIsClosed() throws Exception {
        HttpClient http = Clients.started(64);
        TestGateway gw = TestGateway.start("retry", "1s", "shutdown-retry-jitter", "4s", "drain-timeout", "5s");
        try {
            List<SseClient> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SseClient c = SseClient.connect(http, gw.url("/events?topic=s" + (i % 3)));
                c.nextComment(Duration.ofSeconds(5));
                clients.add(c);
            }
            long start = System.nanoTime();
            gw.stop();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < 5000, "streams drained before the deadline: " + tookMs + " ms");
            Set<String> retries = new HashSet<>();
            for (SseClient c : clients) {
                SseEvent e = c.next(Duration.ofSeconds(5), "server-shutdown");
                assertEquals("server-shutdown", e.event());
                long retry = Long.parseLong(e.retry());
                assertTrue(retry >= 1000 && retry <= 5000, "retry within retry..retry+jitter: " + retry);
                assertEquals(retry, Json.parse(e.data()).getJsonNumber("retryMillis").longValue());
                retries.add(e.retry());
                c.done().get(5, TimeUnit.SECONDS);
            }
            assertTrue(retries.size() > 1, "retries are jittered, not all equal: " + retries);
        } finally {
            http.stop();
            gw.close();
        }
    }

    /**
     * What a client reads when the node drains: {@code server-shutdown}, then the response's clean
     * end (HTTP/1.1's last chunk), before the connector closes. A client that sees the connection
     * cut instead cannot tell a drain from a crash (the Java client then reported
     * {@code stream-ended}). Raw sockets, so the bytes themselves are checked, for many streams at
     * once: the last completions of a drain race the connector's stop.
     */
    @Test
    void aDrainEndsEveryResponseCleanlyBeforeTheConnectionsClose() throws Exception {
        TestGateway gw = TestGateway.start("drain-timeout", "5s", "shutdown-retry-jitter", "1s");
        List<java.net.Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", gw.port());
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /events?topic=t" + (i % 7) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gw.gateway().streamNode().streamCount() < sockets.size() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(sockets.size(), gw.gateway().streamNode().streamCount(), "every stream opened");
            // Clients that vanish with a reset: their responses end too, so they do not hold the drain.
            for (int i = 0; i < 50; i++) {
                try (java.net.Socket gone = new java.net.Socket("127.0.0.1", gw.port())) {
                    gone.getOutputStream().write("GET /events?topic=gone HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    gone.getInputStream().read();
                    gone.setSoLinger(true, 0);
                }
            }
            long start = System.nanoTime();
            gw.stop();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < 4000, "the drain ended when every response had, not at the deadline: " + tookMs + " ms");
            int i = 0;
            for (java.net.Socket s : sockets) {
                String got = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                assertTrue(got.contains("event: server-shutdown"), "stream " + i + " was told: " + got);
                assertTrue(got.endsWith("\r\n0\r\n\r\n"), "stream " + i + " ended with the last chunk, not a cut: "
                    + got.substring(Math.max(0, got.length() - 120)));
                i++;
            }
        } finally {
            for (java.net.Socket s : sockets) {
                s.close();
            }
            gw.close();
        }
    }

    @Test
    void whileDrainingReadinessIsFalseNewStreamsAreSentElsewhereAndPublishesGet503() throws Exception {
        HttpClient http = Clients.started(8);
        // A stalled client keeps the drain busy so that the node stays in the draining state for a while.
        TestGateway gw = TestGateway.start("drain-timeout", "3s", "queue-max-bytes", "16777216");
        try (java.net.Socket stalled = new java.net.Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", gw.port()));
            stalled.getOutputStream().write("GET /events?topic=d HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String big = "y".repeat(60_000);
            for (int i = 0; i < 100; i++) {
                gw.publishOk("d", big);
            }
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> gw.gateway().shutdown());
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (!gw.gateway().isDraining() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(!stopping.isDone(), "the stalled stream holds the drain open");
            HttpResponse<String> ready = gw.get("/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(Json.parse(ready.body()).getBoolean("draining"));
            BusyAnswers.assertBusy(gw.get("/events?topic=d"), "draining");
            HttpResponse<String> publish = gw.publish("d", "late");
            assertEquals(503, publish.statusCode(), "a publish during drain is refused, never accepted and lost");
            assertTrue(publish.headers().firstValue("Retry-After").isPresent());
            assertTrue(!stopping.isDone(), "still draining");
            stopping.get(10, TimeUnit.SECONDS);
            assertEquals(0, gw.gateway().streamNode().streamCount(), "the stalled stream was closed at the deadline");
        } finally {
            http.stop();
            gw.close();
        }
    }
}
