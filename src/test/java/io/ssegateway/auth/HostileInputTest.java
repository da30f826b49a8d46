package io.ssegateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, point 5: malformed and hostile requests against every endpoint. Each must end in a
 * 4xx or a closed connection, never a 5xx; nothing they leave behind may outlive them; and a
 * stream opened before the attack receives every event published during it.
 */
class HostileInputTest {
    private static final String[] PATHS = {"/events", "/publish", "/health", "/ready", "/metrics", "/", "/nowhere"};
    private final Map<String, Map<String, Integer>> outcomes = new TreeMap<>();

    @Test
    void hostileRequestsGet4xxOrCloseAndAStreamOpenedBeforeReceivesEveryEvent() throws Exception {
        HttpClient http = Clients.started(8);
        ExecutorService publisherThread = Executors.newSingleThreadExecutor();
        try (TestGateway gw = TestGateway.start("heartbeat", "1s", "idle-timeout", "3s", "max-topics", "32")) {
            SseClient witness = SseClient.connect(http, gw.url("/events?topic=witness"));
            witness.nextComment(Duration.ofSeconds(5));
            System.gc();
            long heapBefore = usedHeap();
            int threadsBefore = serverThreads();

            Future<List<String>> publisher = publisherThread.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    ids.add(gw.publishOk("witness", "event " + i));
                    Thread.sleep(10);
                }
                return ids;
            });

            attack(gw.port());

            List<String> published = publisher.get();
            List<String> got = witness.take(published.size(), Duration.ofSeconds(30)).stream().map(SseEvent::id).toList();
            assertEquals(published, got, "the witness stream received every event, in order");

            // Streams the attack opened and abandoned are found by heartbeats and released.
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while ((gw.gateway().streamNode().streamCount() > 1 || gw.gateway().capacity().open() > 1)
                && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, gw.gateway().streamNode().streamCount(), "only the witness stream is left");
            assertEquals(1, gw.gateway().capacity().open(), "every other permit was returned");
            int threadsPeak = serverThreads();
            deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (serverThreads() > threadsBefore + 4 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            int threadsAfter = serverThreads();
            assertTrue(threadsAfter <= threadsBefore + 4, "server threads back near their baseline: before "
                + threadsBefore + ", after the attack " + threadsPeak + ", now " + threadsAfter);
            System.gc();
            long heapGrowth = usedHeap() - heapBefore;
            System.out.println("hostile input outcomes: " + outcomes + "; heap growth after GC " + heapGrowth / 1024
                + " KB; server threads " + threadsBefore + " before, " + threadsPeak + " after the attack, " + threadsAfter
                + " once idle");
            assertTrue(heapGrowth < 64L * 1024 * 1024, "heap returned near its baseline: +" + heapGrowth / 1024 + " KB");
            for (Map.Entry<String, Map<String, Integer>> category : outcomes.entrySet()) {
                for (String outcome : category.getValue().keySet()) {
                    assertTrue(!outcome.startsWith("5"), category.getKey() + " got " + outcome + ": " + outcomes);
                }
            }
            witness.close();
        } finally {
            publisherThread.shutdownNow();
            http.stop();
        }
    }

    private void attack(int port) throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            byte[] junk = new byte[1 + random.nextInt(2048)];
            random.nextBytes(junk);
            record("random bytes", send(port, junk));
        }
        for (String path : PATHS) {
            for (String query : List.of("?topic=%C3%28", "?topic=%FF%FE", "?topic=a%0D%0Ab", "?topic=a%00b",
                "?topic=ok&event=%0Aid:%201", "?topic=ok&lastEventId=%0D%0A", "?topic=ok&lastEventId=-1",
                "?topic=ok&lastEventId=a-" + "9".repeat(40), "?topic=ok&lastEventId=" + "x".repeat(5000),
                "?topic=" + "t".repeat(300), "?" + "topic=a&".repeat(2000), "?topic=ok&access_token=%00")) {
                for (String method : List.of("GET", "POST")) {
                    record("bad parameters", request(port, method, path + query, "", "body"));
                }
            }
            record("invalid UTF-8 body", request(port, "POST", path + "?topic=ok", "",
                new String(new byte[] {'o', (byte) 0xC3, (byte) 0x28}, StandardCharsets.ISO_8859_1)));
            record("CR/NUL in headers", request(port, "GET", path + "?topic=ok", "Last-Event-ID: a\rb\r\n", ""));
            record("CR/NUL in headers", request(port, "GET", path + "?topic=ok", "X-Evil: a\u0000b\r\n", ""));
            record("CR/NUL in headers", request(port, "GET", path + "?topic=ok", "Authorization: Bearer \u0001\u0002\r\n", ""));
            record("huge headers", request(port, "GET", path + "?topic=ok", "X-Big: " + "a".repeat(64 * 1024) + "\r\n", ""));
            record("huge headers", request(port, "GET", path + "?topic=ok", "Cookie: " + "sse_token=x; ".repeat(3000) + "\r\n", ""));
            record("bad methods", request(port, "BREW", path, "", ""));
            record("bad methods", request(port, "DELETE", path + "?topic=ok", "", ""));
            record("huge body", request(port, "POST", path + "?topic=ok", "", "b".repeat(200_000)));
        }
        for (int i = 0; i < 3; i++) {
            record("trickle", trickle(port, "GET /events?topic=trickle HTTP/1.1\r\nHost: x\r\n\r\n"));
        }
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (i % 2 == 0) {
                    s.getOutputStream().write("GET /events?topic=aband".getBytes(StandardCharsets.US_ASCII));
                } else {
                    s.getOutputStream().write("GET /events?topic=abandoned HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            record("opened and abandoned", "closed by client");
        }
    }

    private String request(int port, String method, String target, String extraHeaders, String body) throws Exception {
        byte[] bodyBytes = body.getBytes(StandardCharsets.ISO_8859_1);
        String head = method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extraHeaders
            + (body.isEmpty() ? "" : "Content-Length: " + bodyBytes.length + "\r\n") + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(bodyBytes);
        return send(port, out.toByteArray());
    }

    /** Sends bytes and returns the status code, or how the connection ended. */
    private static String send(int port, byte[] bytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            try {
                s.getOutputStream().write(bytes);
            } catch (java.io.IOException e) {
                return "closed by server while sending";
            }
            return status(s.getInputStream());
        }
    }

    private static String trickle(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            for (byte b : request.getBytes(StandardCharsets.US_ASCII)) {
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
                Thread.sleep(5);
            }
            return status(s.getInputStream());
        }
    }

    private static String status(InputStream in) throws Exception {
        try {
            byte[] line = in.readNBytes(12);
            if (line.length < 12) {
                return "closed without answer";
            }
            return new String(line, 9, 3, StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException e) {
            return "no answer in 3 s";
        } catch (java.io.IOException e) {
            return "reset";
        }
    }

    private void record(String category, String outcome) {
        outcomes.computeIfAbsent(category, c -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
    }

    /** Threads of the gateway's HTTP pool (named sse-http-*), not the test's own clients. */
    private static int serverThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("sse-http")).count();
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
