package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Json;
import io.ssegateway.testing.Processes;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Point 10 of the core issue: every client mistake gets a 4xx JSON error, never a 5xx. */
class BadInputTest {
    private TestGateway gw;
    private final HttpClient jdk = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start("max-topics", "4", "max-body-bytes", "1024");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    @Test
    void missingTopicIs400() throws Exception {
        assertError(gw.get("/events"), 400, "missing-topic");
        assertError(gw.post("/publish", "x"), 400, "missing-topic");
    }

    @Test
    void tooManyTopicsIs400() throws Exception {
        assertError(gw.get("/events?topic=a&topic=b&topic=c&topic=d&topic=e"), 400, "too-many-topics");
        assertError(gw.post("/publish?topic=a&topic=b", "x"), 400, "too-many-topics");
    }

    @Test
    void invalidTopicIs400() throws Exception {
        assertError(gw.get("/events?topic=a%0D%0Ab"), 400, "invalid-topic");
    }

    /**
     * A malformed query string (a bad percent escape, bytes that are not UTF-8) on /events gets our
     * JSON reason, as on /publish, and not the container's HTML error page. Sent by curl as typed:
     * Java's URI refuses to build such an address at all.
     */
    @Test
    void aMalformedQueryOnEventsIsAJson400() throws Exception {
        for (String query : List.of("topic=%ZZ", "topic=%C3%28", "topic=a&lastEventId=%", "topic=a&envelope=%E2%82",
            "topic=a&access_token=%G0")) {
            for (String method : List.of("GET", "HEAD")) {
                Processes.Ran curl = Processes.run(List.of("curl", "-sS", method.equals("HEAD") ? "--head" : "--get",
                    "--max-time", "10", "-w", "\n%{http_code} %{content_type}", gw.url("/events?" + query)), Duration.ofSeconds(30));
                String out = curl.output();
                assertEquals(0, curl.exit(), method + " " + query + ": " + out);
                assertTrue(out.endsWith("\n400 application/json;charset=utf-8"), method + " " + query + ": " + out);
                if (method.equals("GET")) {
                    assertEquals("invalid-query", Json.field(out.substring(0, out.lastIndexOf('\n')), "error"), query);
                }
            }
        }
        assertEquals(0, gw.gateway().streamNode().streamCount(), "no stream opened");
    }

    /**
     * What Jetty refuses before any servlet sees it (a bad escape in the path, a request head over
     * max-header-bytes, no Host, an unknown HTTP version) is answered with the same JSON shape, not
     * Jetty's HTML page; the requests are written to the socket as a broken client or an attacker sends them.
     */
    @Test
    void whatTheServerRefusesBeforeTheServletsIsJsonToo() throws Exception {
        java.util.Map<String, String> requests = new java.util.LinkedHashMap<>();
        requests.put("GET /events%ZZ?topic=a HTTP/1.1\r\nHost: x\r\n\r\n", "400");
        requests.put("GET /%2e%2e/events?topic=a HTTP/1.1\r\nHost: x\r\n\r\n", "400");
        requests.put("GET /events?topic=a HTTP/1.1\r\n\r\n", "400");
        requests.put("GET /events?topic=a HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n", "431");
        requests.put("GET /events?topic=a HTTP/9.9\r\nHost: x\r\n\r\n", "505");
        requests.put("GARBAGE\r\n\r\n", "400");
        for (java.util.Map.Entry<String, String> request : requests.entrySet()) {
            // Until the JSON body's closing brace, the server's close, or 3 s.
            String answer = RawHttp.exchange(gw.port(), request.getKey(), "}", Duration.ofSeconds(3));
            String shown = request.getKey().substring(0, Math.min(40, request.getKey().length()));
            assertTrue(answer.startsWith("HTTP/1.1 " + request.getValue() + " "), shown + " -> " + answer);
            assertTrue(answer.contains("\r\nContent-Type: application/json;charset=utf-8\r\n"), shown + " -> " + answer);
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertEquals("http-" + request.getValue(), Json.field(body, "error"), shown + " -> " + answer);
        }
    }

    @Test
    void oversizedBodyIs413WithAndWithoutContentLength() throws Exception {
        assertError(gw.post("/publish?topic=a", "x".repeat(1025)), 413, "body-too-large");
        HttpResponse<String> chunked = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=a")))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[5000])))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, "body-too-large");
        assertEquals(200, gw.post("/publish?topic=a", "x".repeat(1024)).statusCode(), "exactly the limit is fine");
    }

    /**
     * curl with its defaults sends a body of a few times the limit at once: the 413 must reach it
     * every time, not a reset from a server that closed while the body was still arriving.
     */
    @Test
    void aBodyOverTheLimitSentAtOnceGetsIts413EveryTime() throws Exception {
        java.nio.file.Path body = java.nio.file.Files.write(
            java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "over", ".bin"), new byte[70_000]);
        for (int i = 0; i < 20; i++) {
            Processes.Ran curl = Processes.run(List.of("curl", "-sS", "-w", "\n%{http_code}", "--data-binary", "@" + body,
                gw.url("/publish?topic=a")), Duration.ofSeconds(30));
            String out = curl.output();
            assertEquals(0, curl.exit(), "try " + i + ": " + out);
            assertTrue(out.endsWith("\n413") && out.contains("\"body-too-large\""), "try " + i + ": " + out);
        }
    }

    @Test
    void invalidUtf8BodyIs400() throws Exception {
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=a")))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28}))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertError(r, 400, "invalid-utf8");
    }

    @Test
    void malformedLastEventIdIs400() throws Exception {
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/events?topic=a")))
            .timeout(Duration.ofSeconds(30)).header("Last-Event-ID", "not an id").GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertError(r, 400, "invalid-last-event-id");
    }

    /** Issue 21, point 7: a path nothing serves is a JSON 404 like every other error, not the container's HTML page. */
    @Test
    void anUnknownPathIsAJson404() throws Exception {
        for (String path : List.of("/nowhere", "/events/extra", "/app.js.map", "/.well-known/mercure")) {
            HttpResponse<String> r = gw.get(path);
            assertError(r, 404, "not-found");
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
        }
        assertEquals(200, gw.get("/").statusCode(), "the demo page is still served");
        assertEquals(200, gw.get("/app.js").statusCode());
    }

    /** Issue 21, point 7: HEAD /events answers the stream's headers without opening a stream; a malformed one gets GET's 400. */
    @Test
    void headOnEventsAnswersTheStreamsHeadersAndOpensNoStream() throws Exception {
        HttpResponse<String> head = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/events?topic=a")))
            .timeout(Duration.ofSeconds(10)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), head.headers().toString());
        assertEquals("no-cache", head.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("", head.body());
        assertEquals(0, gw.gateway().streamNode().streamCount(), "no stream opened");
        HttpResponse<String> bad = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/events")))
            .timeout(Duration.ofSeconds(10)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> post = gw.post("/events?topic=a", "x");
        assertError(post, 405, "method-not-allowed");
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
        HttpResponse<String> get = gw.get("/publish?topic=a");
        assertError(get, 405, "method-not-allowed");
        assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
        HttpResponse<String> delete = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=a")))
            .timeout(Duration.ofSeconds(30)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertError(delete, 405, "method-not-allowed");
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(code, Json.field(r.body(), "error"));
        assertTrue(!Json.field(r.body(), "message").isBlank());
    }
}
