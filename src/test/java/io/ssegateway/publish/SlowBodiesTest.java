package io.ssegateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.http.RequestBody;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.MercureTokens;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
                    assertEquals(200, gw.get("/health").statusCode(), "the node answers while " + slow + " bodies are unfinished");

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

    /**
     * On the Mercure door with a key, a client without a valid publisher token is refused from the
     * request's head, before it sends any of its form; with a token the form is read and its
     * topics checked against the token's grants.
     */
    @Test
    void theMercureDoorRefusesAClientWithoutATokenBeforeItsForm() throws Exception {
        MercureTokens tokens = MercureTokens.create(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "mercure"));
        try (TestGateway gw = TestGateway.start(tokens.settings())) {
            String head = "POST /.well-known/mercure HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 1000\r\n";
            try (Socket anonymous = send(new Socket("127.0.0.1", gw.port()), head + "\r\n")) {
                String answer = RawHttp.drainUntil(timed(anonymous).getInputStream(), "}", WAIT);
                assertTrue(answer.startsWith("HTTP/1.1 401 "), "refused with no byte of the form sent: " + answer);
            }
            try (Socket forged = send(new Socket("127.0.0.1", gw.port()), head + "Authorization: Bearer not.a.token\r\n\r\n")) {
                String answer = RawHttp.drainUntil(timed(forged).getInputStream(), "}", WAIT);
                assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
            }
            String token = tokens.token(MercureTokens.detail(List.of("publish"), "https://example.com/a"));
            String form = "topic=" + java.net.URLEncoder.encode("https://example.com/b", StandardCharsets.UTF_8) + "&data=x";
            try (Socket publisher = send(new Socket("127.0.0.1", gw.port()), "POST /.well-known/mercure HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Bearer " + token + "\r\nContent-Length: "
                + form.length() + "\r\n\r\n" + form)) {
                String answer = RawHttp.drainUntil(timed(publisher).getInputStream(), "}", WAIT);
                assertTrue(answer.startsWith("HTTP/1.1 403 ") && answer.contains("may not publish"), "a topic the token does not grant: " + answer);
            }
        }
    }

    /**
     * Unfinished bodies together stop at the node's ceiling (16 MiB here): of 17 bodies of 1 MiB
     * less a byte, what passes the ceiling is refused 503 {@code publish-bodies-full} and the rest
     * publish when they end. What each held is given back when it is answered and when its client
     * leaves: twice more 16 such bodies fit, after the first round and after clients that left.
     */
    @Test
    void unfinishedBodiesStopAtTheNodesCeilingAndGiveItBack() throws Exception {
        int mib = 1 << 20;
        try (TestGateway gw = TestGateway.start("max-body-bytes", Integer.toString(mib))) {
            List<Socket> first = unfinishedBodies(gw, 17, mib);
            List<Socket> refused = new ArrayList<>();
            for (Socket s : first) {
                String early = RawHttp.drain(timed(s).getInputStream(), Duration.ofMillis(300));
                if (!early.isEmpty()) {
                    assertTrue(early.startsWith("HTTP/1.1 503 ") && early.contains("publish-bodies-full"), early);
                    refused.add(s);
                }
            }
            assertTrue(!refused.isEmpty() && refused.size() < 17, "17 MiB less 17 bytes pass the 16 MiB ceiling: " + refused.size());
            finishAll(first, refused);

            List<Socket> second = unfinishedBodies(gw, 16, mib);
            for (Socket s : second) {
                s.close(); // the clients leave with their bodies unfinished
            }
            Thread.sleep(2000);
            finishAll(unfinishedBodies(gw, 16, mib), List.of());
        }
    }

    /** {@code n} publishes of {@code size} bytes, each sent but for its last byte. */
    private static List<Socket> unfinishedBodies(TestGateway gw, int n, int size) throws Exception {
        byte[] almost = "x".repeat(size - 1).getBytes(StandardCharsets.US_ASCII);
        List<Socket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = send(new Socket("127.0.0.1", gw.port()),
                "POST /publish?topic=big HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            try {
                s.getOutputStream().write(almost);
                s.getOutputStream().flush();
            } catch (java.io.IOException refusedMidway) {
                // answered (503) and closed while the body was still being sent: read below
            }
            out.add(s);
        }
        return out;
    }

    /** Sends the last byte of every body but the refused ones': each publishes (200). */
    private static void finishAll(List<Socket> bodies, List<Socket> refused) throws Exception {
        for (Socket s : bodies) {
            if (!refused.contains(s)) {
                send(s, "y");
                String answer = RawHttp.drainUntil(timed(s).getInputStream(), "}", WAIT);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            }
            s.close();
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
