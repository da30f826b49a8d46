package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.ChunkedSseReader;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.Metrics;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Point 6 of the core issue: a client that stops reading costs at most its queue bound, is
 * handled by the slow-consumer policy, and never delays a reading client on the same topic.
 */
class BackpressureTest {
    /** Room for ~17 events: a reader that keeps up never hits it, even on a busy machine. */
    private static final int QUEUE = 1024 * 1024;
    /** 12 MB in all: more than the queue plus the kernel's socket buffers (4 MB send, small receive). */
    private static final int EVENTS = 200;
    private static final String PAYLOAD = "x".repeat(60 * 1024);
    private TestGateway gw;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        http = Clients.started(8);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        gw.close();
    }

    @Test
    void slowClientIsDisconnectedWhenQueueFullWhileReaderGetsEveryEvent() throws Exception {
        gw = TestGateway.start("queue-max-bytes", Integer.toString(QUEUE), "slow-consumer", "close");
        try (SseClient reader = SseClient.connect(http, gw.url("/events?topic=bp"));
             Socket stalled = stalledClient("/events?topic=bp")) {
            reader.nextComment(Duration.ofSeconds(5));
            awaitStreams(2);
            AtomicInteger maxQueued = new AtomicInteger();
            List<String> published = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                published.add(gw.publishOk("bp", i + ":" + PAYLOAD));
                gw.gateway().streamNode().forEachStream(s -> maxQueued.accumulateAndGet(s.queuedBytes(), Math::max));
            }
            List<String> got = ids(reader.take(EVENTS, Duration.ofSeconds(30)));
            assertEquals(published, got, "reader got every event in order");
            awaitStreams(1);
            assertTrue(maxQueued.get() <= QUEUE, "queue stayed within its bound: " + maxQueued.get());
            assertEquals(1.0, Metrics.value(gw, "sse_streams_closed_total{reason=\"slow-consumer\"}"));

            // The stalled client, once it reads, finds its stream ended (EventSource would reconnect
            // with Last-Event-ID and resume from history): the body is terminated or the socket closed.
            assertTrue(streamEnds(stalled.getInputStream(), Duration.ofSeconds(10)), "stalled stream was ended");
        }
    }

    @Test
    void dropOldestKeepsSlowClientOpenAndSignalsTheGap() throws Exception {
        gw = TestGateway.start("queue-max-bytes", Integer.toString(QUEUE), "slow-consumer", "drop-oldest");
        try (SseClient reader = SseClient.connect(http, gw.url("/events?topic=bp"));
             Socket stalled = stalledClient("/events?topic=bp")) {
            reader.nextComment(Duration.ofSeconds(5));
            awaitStreams(2);
            List<String> published = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                published.add(gw.publishOk("bp", i + ":" + PAYLOAD));
            }
            assertEquals(published, ids(reader.take(EVENTS, Duration.ofSeconds(30))), "reader got every event in order");
            assertEquals(2, gw.gateway().streamNode().streamCount(), "drop-oldest keeps the slow stream open");

            List<SseEvent> slow = new ArrayList<>();
            ChunkedSseReader body = new ChunkedSseReader(stalled.getInputStream(), slow::add);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline
                && (slow.isEmpty() || !published.get(EVENTS - 1).equals(slow.get(slow.size() - 1).id()))
                && body.readSome()) {
                // read until the newest event arrived
            }
            List<SseEvent> gaps = slow.stream().filter(e -> "gap".equals(e.event())).toList();
            assertTrue(!gaps.isEmpty(), "a gap event announced the dropped frames");
            assertEquals("slow-consumer-dropped", Json.field(gaps.get(0).data(), "reason"));
            assertTrue(Json.parse(gaps.get(0).data()).getInt("dropped") > 0);
            assertEquals(published.get(EVENTS - 1), slow.get(slow.size() - 1).id(), "the newest event arrives");
            List<String> ids = slow.stream().filter(e -> !"gap".equals(e.event())).map(SseEvent::id).toList();
            List<Integer> order = ids.stream().map(published::indexOf).toList();
            for (int i = 1; i < order.size(); i++) {
                assertTrue(order.get(i) > order.get(i - 1), "ids in order, no duplicate, at " + i);
            }
            assertTrue(ids.size() < EVENTS, "some frames were dropped");
            assertTrue(Metrics.value(gw, "sse_frames_dropped_total") > 0, "drops are counted");
        }
    }

    @Test
    void framesQueuedWhileTheSocketIsBusyAreCoalescedIntoFewWrites() throws Exception {
        // 18 MB for a client that reads nothing until the end: the first ~4 MB fill the kernel's
        // buffers one write per frame; everything after waits in the queue and goes out coalesced.
        gw = TestGateway.start("queue-max-bytes", Integer.toString(32 * 1024 * 1024));
        int events = 6000;
        try (Socket stalled = stalledClient("/events?topic=co")) {
            awaitStreams(1);
            String small = "y".repeat(3000);
            List<String> published = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                published.add(gw.publishOk("co", small));
            }
            List<SseEvent> got = new ArrayList<>();
            ChunkedSseReader body = new ChunkedSseReader(stalled.getInputStream(), got::add);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (got.size() < events && System.nanoTime() < deadline && body.readSome()) {
                // read until every frame arrived
            }
            assertEquals(events, got.size(), "frames received");
            assertEquals(published, ids(got), "every frame, in order");
            double writes = Metrics.value(gw, "sse_socket_writes_total");
            assertTrue(writes < events / 2.0, "frames were coalesced: " + writes + " writes for " + events + " frames");
        }
    }

    /** A client with a tiny receive buffer that never reads after sending its request. */
    private Socket stalledClient(String path) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", gw.port()));
        s.setSoTimeout(200);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private void awaitStreams(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (gw.gateway().streamNode().streamCount() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, gw.gateway().streamNode().streamCount(), "open streams");
    }

    private static List<String> ids(List<SseEvent> events) {
        return events.stream().map(SseEvent::id).toList();
    }

    /** Reads until the chunked body's terminator or end of stream; false if neither comes in time. */
    private static boolean streamEnds(InputStream in, Duration window) throws Exception {
        byte[] buf = new byte[65536];
        byte[] tail = new byte[0];
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    return true;
                }
                byte[] joined = new byte[Math.min(tail.length + n, 16)];
                int fromTail = Math.max(0, joined.length - n);
                System.arraycopy(tail, tail.length - fromTail, joined, 0, fromTail);
                System.arraycopy(buf, n - (joined.length - fromTail), joined, fromTail, joined.length - fromTail);
                tail = joined;
                if (new String(tail, StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                    return true;
                }
            } catch (java.net.SocketException e) {
                return true;
            } catch (java.net.SocketTimeoutException e) {
                // keep reading
            }
        }
        return false;
    }
}
