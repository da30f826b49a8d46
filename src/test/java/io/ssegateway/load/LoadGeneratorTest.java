package io.ssegateway.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Certificates;
import io.ssegateway.testing.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The load generator counts correctly: against a server whose misbehaviour the test controls
 * (it skips, repeats and reorders events on purpose), and against a real gateway.
 */
class LoadGeneratorTest {

    /** A tiny SSE server: event 3 is never sent, event 5 is sent twice, 7 and 8 swap places. */
    private static final class MisbehavingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        final List<OutputStream> streams = new CopyOnWriteArrayList<>();
        final AtomicInteger published = new AtomicInteger();
        private String held;

        MisbehavingServer() throws IOException {
            Thread t = new Thread(this::accept, "misbehaving-server");
            t.setDaemon(true);
            t.start();
        }

        private void accept() {
            try {
                while (!socket.isClosed()) {
                    Socket s = socket.accept();
                    Thread t = new Thread(() -> serve(s));
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException closed) {
                // test over
            }
        }

        private void serve(Socket s) {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                for (String requestLine; (requestLine = in.readLine()) != null; ) {
                    int length = 0;
                    for (String h; !(h = in.readLine()).isEmpty(); ) {
                        if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(h.substring(15).trim());
                        }
                    }
                    if (requestLine.startsWith("GET")) {
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n: hi\n\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        streams.add(out);
                        return;
                    }
                    char[] body = new char[length];
                    int read = 0;
                    while (read < length) {
                        read += in.read(body, read, length - read);
                    }
                    publish(new String(body));
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // client gone
            }
        }

        private synchronized void publish(String data) throws IOException {
            int n = published.incrementAndGet();
            String frame = "id: e-" + n + "\ndata: " + data + "\n\n";
            if (n == 3) {
                return;
            }
            if (n == 7) {
                held = frame;
                return;
            }
            String toSend = n == 5 ? frame + frame : n == 8 ? frame + held : frame;
            for (OutputStream out : streams) {
                out.write(toSend.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void countsLostDuplicatedAndOutOfOrderEvents() throws Exception {
        try (MisbehavingServer server = new MisbehavingServer()) {
            String base = "http://127.0.0.1:" + server.socket.getLocalPort();
            LoadResult r = new LoadGenerator(new LoadOptions(base + "/events?topic=t", 5, 1, List.of(), 1000,
                base + "/publish?topic=t", 0, 10, 50, 5, 2), null).run();
            assertEquals(5, r.established());
            assertEquals(10, r.published());
            // each stream: 10 published, 3 never sent, 5 twice, 7 after 8
            assertEquals(5, r.duplicates(), "one duplicate per stream");
            assertEquals(5, r.outOfOrder(), "one out-of-order per stream");
            assertEquals(5 * 8, r.received(), "8 distinct in-order events per stream (1,2,4,5,6,8,9,10)");
            assertEquals(5 * 2, r.lost(), "per stream: 3 never sent, 7 came too late to count");
            // Latency comes from the publish time in each event's data: recorded, ordered, and sane.
            assertTrue(r.maxMs() > 0 && r.p50Ms() <= r.p99Ms() && r.p99Ms() <= r.maxMs() && r.maxMs() < 10_000,
                "p50 " + r.p50Ms() + ", p99 " + r.p99Ms() + ", max " + r.maxMs());
            // Each publication's own latency: the 9 sent (event 3 never was), event 5 twice on each stream.
            assertEquals(9, r.byPublication().size(), r.byPublication().toString());
            assertEquals(1, r.byPublication().stream().filter(p -> p.deliveries() == 10).count(),
                "event 5, sent twice to each of 5 streams: " + r.byPublication());
            assertEquals(50, r.byPublication().stream().mapToLong(PublicationLatencies.Figures::deliveries).sum());
            for (PublicationLatencies.Figures each : r.byPublication()) {
                assertTrue(each.p99Ms() <= each.maxMs() && each.maxMs() <= r.maxMs(), each.toString());
            }
        }
    }

    @Test
    void aRealGatewayDeliversEveryEventOnceInOrder() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            LoadResult r = new LoadGenerator(new LoadOptions(gw.url("/events?topic=user-{i}"), 300, 10,
                LoadOptions.addresses("127.0.0.1-127.0.0.3"), 5000, gw.url("/publish?topic=user-{topic}"), 0, 500, 100, 10, 2),
                null).run();
            assertEveryEventOnceInOrder(r, 300, 500);
            assertTrue(r.p50Ms() > 0 && r.maxMs() >= r.p99Ms());
        }
    }

    @Test
    void overHttp2EveryEventArrivesOnceInOrderOnStreamsSharingConnections() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            LoadResult r = new LoadGenerator(new LoadOptions(gw.url("/events?topic=user-{i}"), 300, 10, List.of(), 5000,
                gw.url("/publish?topic=user-{topic}"), 0, 500, 100, 10, 2, 0, 0, null, 100, false), null).run();
            assertEveryEventOnceInOrder(r, 300, 500);
            assertTrue(r.byPublication().isEmpty(), "500 publications are too many to report one by one");
        }
    }

    private static void assertEveryEventOnceInOrder(LoadResult r, int streams, int published) {
        assertEquals(streams, r.established());
        assertEquals(0, r.failed());
        assertEquals(published, r.published());
        assertEquals(r.expected(), r.received());
        assertEquals(0, r.lost());
        assertEquals(0, r.duplicates());
        assertEquals(0, r.outOfOrder());
    }

    @Test
    void overTlsTheStreamsShareAFewHttp2Connections() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tls-");
        Certificates.Pair pair = Certificates.create(dir, "load", "ec", "localhost");
        try (TestGateway gw = TestGateway.startTls(pair)) {
            LoadOptions options = new LoadOptions(gw.url("/events?topic=t"), 300, 1, List.of(), 5000, null, 0, 0, 100, 1, 2,
                0, 0, Path.of("target", "load-tls-" + System.nanoTime()), 100, false);
            Thread run = new Thread(() -> {
                try {
                    new LoadGenerator(options, null).run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            run.start();
            Path established = Path.of(options.sync() + ".established");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.exists(established) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(300, gw.gateway().streams());
            assertTrue(gw.connections() <= 4, "300 streams on " + gw.connections() + " connections");
            run.join(30_000);
        }
    }

    @Test
    void sourceAddressRangesExpand() throws Exception {
        assertEquals(16, LoadOptions.addresses("127.0.0.1-127.0.0.16").size());
        assertEquals("/127.0.0.16", LoadOptions.addresses("127.0.0.1-127.0.0.16").get(15).toString());
        assertEquals(2, LoadOptions.addresses("127.0.0.1,127.0.0.9").size());
    }

    /** Jetty splits a large write into several chunks, so a chunk boundary can fall inside an SSE line. */
    @Test
    void aChunkBoundaryInsideAnSseLineIsParsed() {
        String body = "id: e-1\ndata: 1700000000000000 " + "x".repeat(300) + "\n\nid: e-2\ndata: second\n\n";
        StringBuilder wire = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int at = 0; at < body.length(); at += 7) {
            String part = body.substring(at, Math.min(body.length(), at + 7));
            wire.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        SseConnection c = new SseConnection(0, null);
        c.phase = SseConnection.Phase.HEAD;
        java.util.List<String> ids = new java.util.ArrayList<>();
        byte[] bytes = wire.toString().getBytes(StandardCharsets.US_ASCII);
        c.feed(bytes, 0, bytes.length, (conn, id, type, micros) -> ids.add(id));
        assertEquals(java.util.List.of("e-1", "e-2"), ids);
    }
}
