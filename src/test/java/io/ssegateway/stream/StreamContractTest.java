package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Point 3 of the core issue: the HTTP contract of a stream. */
class StreamContractTest {
    private TestGateway gw;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start("heartbeat", "1s", "idle-timeout", "5s", "retry", "1500ms");
        http = Clients.started(16);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        gw.close();
    }

    @Test
    void headersAndFirstCommentAreFlushedBeforeAnyEventExists() throws Exception {
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=news"))) {
            HttpFields h = c.responseHeaders();
            assertEquals(200, c.response().getStatus());
            assertEquals("text/event-stream;charset=utf-8", h.get("Content-Type").replace(" ", "").toLowerCase(java.util.Locale.ROOT));
            assertEquals("no-cache", h.get("Cache-Control"));
            assertEquals("no", h.get("X-Accel-Buffering"));
            c.awaitFirstByte(Duration.ofSeconds(2));
            assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(2)));
        }
    }

    @Test
    void publishedEventReachesSubscriberWithIdTypeAndData() throws Exception {
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=news"))) {
            c.nextComment(Duration.ofSeconds(2));
            HttpResponse<String> r = gw.post("/publish?topic=news&event=headline", "hello");
            assertEquals(200, r.statusCode());
            assertEquals("news", Json.field(r.body(), "topic"));
            SseEvent e = c.next();
            assertEquals(Json.field(r.body(), "id"), e.id());
            assertEquals("headline", e.event());
            assertEquals("hello", e.data());
        }
    }

    @Test
    void oneStreamReceivesSeveralTopicsInIdOrder() throws Exception {
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=a&topic=b"))) {
            c.nextComment(Duration.ofSeconds(2));
            gw.publishOk("a", "1");
            gw.publishOk("c", "not mine");
            gw.publishOk("b", "2");
            gw.publishOk("a", "3");
            List<SseEvent> got = c.take(3, Duration.ofSeconds(5));
            assertEquals(List.of("1", "2", "3"), got.stream().map(SseEvent::data).toList());
            assertNull(got.get(0).event(), "default type has no event: line");
            c.assertNoEvent(Duration.ofMillis(200));
        }
    }

    @Test
    void retryHintComesFirstInTheBlockOfTheFirstEventAndEveryBlockCarriesData() throws Exception {
        String id;
        String raw;
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", gw.port())) {
            s.getOutputStream().write("GET /events?topic=news HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(50);
            String opening = RawHttp.drainUntil(s.getInputStream(), ": sse-gateway\n", Duration.ofSeconds(2));
            id = gw.publishOk("news", "x");
            raw = opening + RawHttp.drain(s.getInputStream(), Duration.ofMillis(2300));
        }
        // Known from the start (a stream that ends before any event still reconnects after it), and
        // in the first event's block: no blank line comes before that event's.
        String stream = raw.substring(raw.indexOf("\r\n\r\n") + 4).replaceAll("\r\n[0-9a-fA-F]+\r\n", "").replaceAll("^[0-9a-fA-F]+\r\n", "");
        assertTrue(stream.matches("(?s): sse-gateway\nretry: 1500\n(: heartbeat\n)*id: " + id + "\ndata: x\n\n.*"), stream);
        assertTrue(raw.contains(": heartbeat\n"), "two heartbeats in 2.3 s: " + raw);
        // Chunk sizes and their CRLFs are HTTP's; the event stream's own lines end in LF only.
        String body = (raw + "\r\n").replaceAll("\r\n[0-9a-fA-F]+\r\n", "").replace("\r\n", "");
        String afterEvent = body.substring(body.indexOf("data: x\n\n") + "data: x\n\n".length());
        assertTrue(afterEvent.matches("(: heartbeat\n)+"), "comments never end a block: " + afterEvent);
    }

    @Test
    void heartbeatCommentsArriveAtTheConfiguredInterval() throws Exception {
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=quiet"))) {
            assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(2)));
            assertEquals("heartbeat", c.nextComment(Duration.ofMillis(2500)));
            assertEquals("heartbeat", c.nextComment(Duration.ofMillis(2500)));
        }
    }

    @Test
    void healthAndReadyAnswerJson() throws Exception {
        HttpResponse<String> health = gw.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("up", Json.field(health.body(), "status"));
        HttpResponse<String> ready = gw.get("/ready");
        assertEquals(200, ready.statusCode());
        assertTrue(Json.parse(ready.body()).getBoolean("ready"));
    }
}
