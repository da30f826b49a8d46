package io.ssegateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.config.GatewayConfig;
import io.ssegateway.testing.BusyAnswers;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.Metrics;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/** Point 7 of the core issue: a maximum derived from the open-file limit, 503 beyond it, never EMFILE. */
class CapacityTest {

    @Test
    void maxStreamsIsDerivedFromTheOpenFileLimitMinusTheReserve() {
        FileLimits limits = FileLimits.parse(List.of(
            "Limit                     Soft Limit           Hard Limit           Units",
            "Max processes             95088                95088                processes",
            "Max open files            20000                20000                files"));
        assertNotNull(limits);
        assertEquals(20000, limits.soft());
        Capacity c = Capacity.derive(GatewayConfig.of(Map.of("fd-reserve", "256")), limits);
        assertEquals(19744, c.maxStreams());
        assertEquals(19808, c.maxConnections(), "a quarter of the reserve is for publishers and 503 answers");
        assertTrue(c.explanation().contains("20000"), c.explanation());
        assertEquals(Long.MAX_VALUE, FileLimits.parse(List.of("Max open files  unlimited  unlimited  files")).soft());
    }

    @Test
    void aLimitTooSmallForTheReserveStopsStartupWithTheFix() {
        FileLimits tiny = new FileLimits(100, 100, "test");
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Capacity.derive(GatewayConfig.of(Map.of()), tiny));
        assertTrue(e.getMessage().contains("ulimit -n"), e.getMessage());
    }

    @Test
    void currentLimitsAreReadFromProc() {
        FileLimits current = FileLimits.current();
        assertTrue(current.soft() > 0);
        assertEquals("/proc/self/limits", current.source());
    }

    @Test
    void overCapacityGetsAnAnswerABrowserSurvivesAProxyCanFailOverOnAndAFreedSlotIsReused() throws Exception {
        HttpClient http = Clients.started(16);
        // A 1 s heartbeat finds the closed client quickly: the container only notices it at a write.
        try (TestGateway gw = TestGateway.start("max-streams", "3", "retry", "2s", "heartbeat", "1s", "idle-timeout", "5s")) {
            List<SseClient> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SseClient c = SseClient.connect(http, gw.url("/events?topic=cap"));
                c.nextComment(Duration.ofSeconds(5));
                open.add(c);
            }
            HttpResponse<String> refused = gw.get("/events?topic=cap");
            long retry = BusyAnswers.assertBusy(refused, "capacity");
            assertTrue(retry >= 1000 && retry <= 2000, "jittered between retry/2 and retry: " + retry);
            assertEquals("close", refused.headers().firstValue("Connection").orElse(null));
            // A proxy that can try another node asks for a status it can act on.
            HttpResponse<String> proxied = gw.get("/events?topic=cap", Map.of("X-SSE-Failover", "on"));
            assertEquals(503, proxied.statusCode());
            assertEquals("2", proxied.headers().firstValue("Retry-After").orElse(null));
            assertEquals("capacity", Json.field(proxied.body(), "error"));
            assertEquals(2.0, Metrics.value(gw, "sse_requests_rejected_total{reason=\"capacity\"}"));

            open.remove(0).close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gw.gateway().capacity().open() > 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, gw.gateway().capacity().open(), "the closed client's permit was returned");
            try (SseClient again = SseClient.connect(http, gw.url("/events?topic=cap"))) {
                assertEquals("sse-gateway", again.nextComment(Duration.ofSeconds(5)), "freed permit is reused");
            }
            open.forEach(SseClient::close);
        } finally {
            http.stop();
        }
    }

    /**
     * Many clients at once, far beyond the maximum: each gets a stream or the busy answer (or waits in the
     * backlog while the connection limit holds), the count never exceeds the maximum, and the
     * server keeps serving.
     */
    @Test
    void aConnectStormBeyondCapacityNeverExceedsTheMaximum() throws Exception {
        int max = 40;
        int clients = 400;
        try (TestGateway gw = TestGateway.start("max-streams", Integer.toString(max), "fd-reserve", "64")) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Socket> sockets = new ArrayList<>();
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    answers.add(pool.submit(() -> {
                        Socket s = new Socket("127.0.0.1", gw.port());
                        synchronized (sockets) {
                            sockets.add(s);
                        }
                        s.setSoTimeout(5000);
                        s.getOutputStream().write("GET /events?topic=storm HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                        String head = RawHttp.head(s.getInputStream());
                        if (head.contains("\nConnection: close")) {
                            s.close(); // as a real client does after "Connection: close"
                            return "refused " + head;
                        }
                        return head;
                    }));
                }
                int ok = 0;
                int refused = 0;
                int waiting = 0;
                for (Future<String> f : answers) {
                    String status;
                    try {
                        status = f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        status = "timeout";
                    }
                    if (status.startsWith("refused HTTP/1.1 200 ")) {
                        refused++;
                    } else if (status.startsWith("HTTP/1.1 200 ")) {
                        ok++;
                    } else {
                        waiting++;
                    }
                    assertTrue(!status.contains(" 500 "), status);
                }
                assertEquals(max, ok, "exactly the maximum got streams");
                assertEquals(clients, ok + refused + waiting);
                assertTrue(refused > 0, "beyond the maximum clients are refused");
                assertTrue(refused > clients / 2, "refused clients' connections are closed, so others get answers: "
                    + refused + " refused, " + waiting + " still waiting");
                assertTrue(gw.gateway().capacity().open() <= max);
                assertEquals(200, gw.get("/health").statusCode(), "the node keeps serving");
            } finally {
                pool.shutdownNow();
                synchronized (sockets) {
                    for (Socket s : sockets) {
                        s.close();
                    }
                }
            }
        }
    }
}
