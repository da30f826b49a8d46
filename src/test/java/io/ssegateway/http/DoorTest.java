package io.ssegateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The edge issue's points 1, 6 and 10, with the clients users have: curl with its defaults, the
 * JDK client with each Content-Type a framework sends, and raw sockets for what no polite client
 * sends.
 */
class DoorTest {
    private final HttpClient jdk = HttpClient.newHttpClient();

    @Test
    void thePublishBodyIsTheDataByteForByteWhateverItsContentType() throws Exception {
        org.eclipse.jetty.client.HttpClient http = Clients.started(4);
        try (TestGateway gw = TestGateway.start()) {
            SseClient sub = SseClient.connect(http, gw.url("/events?topic=news"));
            sub.nextComment(Duration.ofSeconds(5));
            // The README's own command: curl -d sends application/x-www-form-urlencoded.
            Process curl = new ProcessBuilder("curl", "-s", "-X", "POST", gw.url("/publish?topic=news"), "-d", "hello")
                .redirectErrorStream(true).start();
            String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, curl.waitFor());
            assertEquals("news", Json.field(answer, "topic"), answer);
            assertEquals("hello", sub.next(Duration.ofSeconds(5), "curl -d").data());

            List<String> types = new ArrayList<>(List.of("application/x-www-form-urlencoded", "text/plain",
                "application/json", "application/octet-stream"));
            types.add(null);
            String data = "topic=sport&event=goal&x=%41+b";
            for (String type : types) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=news")))
                    .POST(HttpRequest.BodyPublishers.ofString(data));
                if (type != null) {
                    b.header("Content-Type", type);
                }
                HttpResponse<String> r = jdk.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), type + ": " + r.body());
                assertEquals("news", Json.field(r.body(), "topic"), "topic from the query string only");
                SseEvent e = sub.next(Duration.ofSeconds(5), String.valueOf(type));
                assertEquals(data, e.data(), "data for " + type);
                assertEquals("message", e.typeOrMessage(), "event type from the query string only");
            }
            HttpResponse<String> multipart = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=news")))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\n\r\nhi\r\n--x--\r\n")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(415, multipart.statusCode());
            assertEquals("unsupported-media-type", Json.field(multipart.body(), "error"));
            sub.assertNoEvent(Duration.ofMillis(300));
            sub.close();
        } finally {
            http.stop();
        }
    }

    /** Point 9 in memory mode: a retry with the same Idempotency-Key is answered with the first id and delivered once. */
    @Test
    void anIdempotencyKeyMakesARetryDeliverOnce() throws Exception {
        org.eclipse.jetty.client.HttpClient http = Clients.started(2);
        try (TestGateway gw = TestGateway.start()) {
            SseClient sub = SseClient.connect(http, gw.url("/events?topic=orders"));
            sub.nextComment(Duration.ofSeconds(5));
            HttpRequest publish = HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=orders")))
                .header("Idempotency-Key", "order-42").POST(HttpRequest.BodyPublishers.ofString("placed")).build();
            HttpResponse<String> first = jdk.send(publish, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> retry = jdk.send(publish, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, retry.statusCode());
            assertEquals(Json.field(first.body(), "id"), Json.field(retry.body(), "id"));
            assertEquals("placed", sub.next(Duration.ofSeconds(5), "the event").data());
            sub.assertNoEvent(Duration.ofMillis(300));
            HttpResponse<String> other = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=orders")))
                .header("Idempotency-Key", "order-43").POST(HttpRequest.BodyPublishers.ofString("placed too")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertTrue(!Json.field(other.body(), "id").equals(Json.field(first.body(), "id")));
            assertEquals("placed too", sub.next(Duration.ofSeconds(5), "another key").data());
            HttpResponse<String> bad = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=orders")))
                .header("Idempotency-Key", "x".repeat(129)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertEquals("invalid-idempotency-key", Json.field(bad.body(), "error"));
            sub.close();
        } finally {
            http.stop();
        }
    }

    /** curl runs two requests on one connection where it may; the second must work after each error. */
    @Test
    void anErrorAnsweredBeforeTheBodyIsReadNeverBreaksTheClientsNextRequest() throws Exception {
        Path big = Files.write(Files.createTempFile(Path.of("target"), "big", ".bin"), new byte[2 * 1024 * 1024]);
        try (TestGateway gw = TestGateway.start()) {
            List<List<String>> firsts = List.of(
                List.of("-X", "POST", "--data-binary", "@" + big, gw.url("/publish?topic=t")),          // 413
                List.of("-X", "POST", "--data-binary", "@" + big, gw.url("/events?topic=t")),           // 405
                List.of("-X", "POST", "-d", "x", gw.url("/publish?topic=bad%20topic")),                 // 400
                List.of("-X", "POST", "-H", "Content-Type: multipart/form-data; boundary=b", "--data-binary", "@" + big,
                    gw.url("/publish?topic=t")));                                                      // 415
            List<String> expected = List.of("413", "405", "400", "415");
            for (int i = 0; i < firsts.size(); i++) {
                List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} "));
                cmd.addAll(firsts.get(i));
                cmd.addAll(List.of("--next", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "after",
                    gw.url("/publish?topic=t")));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertEquals(0, p.waitFor(), out);
                assertEquals(expected.get(i) + " 200", out, "curl " + firsts.get(i));
            }
        }
        try (TestGateway gw = TestGateway.start();
             Socket s = new Socket("127.0.0.1", gw.port())) {
            // The same by hand: a 413 for a declared 2 MB body says Connection: close.
            s.getOutputStream().write(("POST /publish?topic=t HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"
                + "x".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(2000);
            String head = RawHttp.drain(s.getInputStream(), Duration.ofSeconds(2));
            assertTrue(head.startsWith("HTTP/1.1 413 "), head);
            assertTrue(head.contains("Connection: close"), head);
        }
    }

    @Test
    void malformedRequestsGetA4xxOr505AndNeverAStackTrace() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Map<String, String> requests = Map.of(
                "GARBAGE\r\n\r\n", "400",
                "GET / HTTP/9.9\r\nHost: x\r\n\r\n", "505",
                "GET /events?topic=a HTTP/1.1\nHost: x\n\n", "400",
                "POST /publish?topic=a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "400",
                "POST /publish?topic=a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n", "400");
            for (Map.Entry<String, String> r : requests.entrySet()) {
                try (Socket s = new Socket("127.0.0.1", gw.port())) {
                    s.getOutputStream().write(r.getKey().getBytes(StandardCharsets.US_ASCII));
                    s.setSoTimeout(2000);
                    String answer = RawHttp.drain(s.getInputStream(), Duration.ofSeconds(2));
                    String status = answer.isEmpty() ? "" : answer.substring(9, 12);
                    assertTrue(status.equals(r.getValue()) || (r.getValue().equals("505") && status.equals("400")),
                        r.getKey().replace("\r", "\\r").replace("\n", "\\n") + " -> " + answer);
                    assertFalse(answer.contains("Exception") || answer.contains("\tat "), answer);
                }
            }
            assertEquals(200, gw.get("/health").statusCode());
        }
    }
}
