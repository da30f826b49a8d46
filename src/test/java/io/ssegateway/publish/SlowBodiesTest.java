package io.ssegateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.http.RequestBody;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Publishers whose bodies arrive slowly, or never end, on both doors: they hold no request thread
 * (the embedded server has about as many as cores), so the node keeps admitting streams and
 * answering; a body that ends publishes as usual; one that does not gets 408 at the deadline.
 */
class SlowBodiesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HttpClient jdk = HttpClient.newHttpClient();

    @Test
    void slowBodiesHoldNoThreadAndPublishWhenTheyEnd() throws Exception {
        int slow = 3 * Math.max(6, 3 * Runtime.getRuntime().availableProcessors()); // thrice the embedded server's pool
        String form = "topic=slow&data=xy";
        try (TestGateway gw = TestGateway.start("mercure", "true")) {
            List<Socket> publishers = new ArrayList<>();
            try {
                for (int i = 0; i < slow; i++) {
                    boolean mercure = i % 2 == 1;
                    String head = mercure
                        ? "POST /.well-known/mercure HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                            + "Content-Length: " + form.length() + "\r\n\r\n" + form.substring(0, form.length() - 1)
                        : "POST /publish?topic=slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nx";
                    publishers.add(send(new Socket("127.0.0.1", gw.port()), head));
                }
                org.eclipse.jetty.client.HttpClient jetty = Clients.started(10);
                try (SseClient stream = SseClient.connect(jetty, gw.url("/events?topic=slow"))) {
                    stream.awaitFirstByte(WAIT);
                    HttpResponse<String> health = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/health"))).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, health.statusCode(), "the node answers while " + slow + " bodies are unfinished");

                    send(publishers.get(0), "y");
                    String nativeAnswer = RawHttp.drainUntil(timed(publishers.get(0)).getInputStream(), "}", WAIT);
                    assertTrue(nativeAnswer.startsWith("HTTP/1.1 200 "), nativeAnswer);
                    assertEquals("xy", stream.next(WAIT, "the native publication whose body ended").data());

                    send(publishers.get(1), "y");
                    String mercureAnswer = RawHttp.drainUntil(timed(publishers.get(1)).getInputStream(), "\r\n\r\n#", WAIT);
                    assertTrue(mercureAnswer.startsWith("HTTP/1.1 200 "), mercureAnswer);
                    assertEquals("xy", stream.next(WAIT, "the Mercure update whose form ended, copied to the native topic").data());
                } finally {
                    jetty.stop();
                }
            } finally {
                for (Socket s : publishers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aBodyThatNeverEndsIsAnswered408AtTheDeadline() throws Exception {
        try (TestGateway gw = TestGateway.start();
             Socket publisher = send(new Socket("127.0.0.1", gw.port()),
                 "POST /publish?topic=stuck HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")) {
            String answer = RawHttp.drainUntil(timed(publisher).getInputStream(), "}",
                RequestBody.DEADLINE.plus(Duration.ofSeconds(10)));
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.contains("\"error\":\"body-timeout\""), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), "its unread rest cannot be the next request: " + answer);
            assertEquals(200, gw.publish("stuck", "next").statusCode(), "publishing goes on");
        }
    }

    private static Socket send(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static Socket timed(Socket s) throws Exception {
        s.setSoTimeout(50);
        return s;
    }
}
