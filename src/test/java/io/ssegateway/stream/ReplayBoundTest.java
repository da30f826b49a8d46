package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.ChunkedSseReader;
import io.ssegateway.testing.Metrics;
import io.ssegateway.testing.TestGateway;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edge issue's point 8: a replay is read from history page by page as the client consumes it,
 * within the stream's queue bound, and a client that reads nothing is closed by the slow-consumer
 * policy at the next heartbeat tick, without waiting for a live event; once it reads, it resumes
 * without loss.
 */
class ReplayBoundTest {
    /** 300 in the suite (17 MB of history); the 1,000 with -Dsse.replayBound.events=1000. */
    private static final int EVENTS = Integer.getInteger("sse.replayBound.events", 300);
    private static final int EVENT_BYTES = 60 * 1024;
    private static final int NON_READERS = 40;
    private static final int QUEUE_MAX_BYTES = 262_144;

    @Test
    void resumingClientsThatReadNothingHoldAtMostTheirQueueBoundAndResumeWithoutLossOnceTheyRead() throws Exception {
        try (TestGateway gw = TestGateway.start("heartbeat", "1s", "history-max-events", "1000",
            "queue-max-bytes", Integer.toString(QUEUE_MAX_BYTES))) {
            String payload = "p".repeat(EVENT_BYTES);
            String first = gw.publishOk("big", payload);
            for (int i = 1; i < EVENTS; i++) {
                gw.publishOk("big", payload);
            }
            String epoch = first.substring(0, first.indexOf('-'));

            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < NON_READERS; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(64 * 1024); // a small window, so the gateway meets backpressure soon
                s.connect(new InetSocketAddress("127.0.0.1", gw.port()));
                s.getOutputStream().write(("GET /events?topic=big HTTP/1.1\r\nHost: x\r\nLast-Event-ID: " + epoch
                    + "-0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                clients.add(s);
            }
            Thread.sleep(1500); // the replays run into full sockets
            long during = usedHeapAfterGc();

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (gw.gateway().streamNode().streamCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, gw.gateway().streamNode().streamCount(), "every non-reader closed by the slow-consumer policy");
            assertEquals(40.0, Metrics.value(gw, "sse_streams_closed_total{reason=\"slow-consumer\"}"));
            // They read what reached them (an EventSource dispatches only complete events) and go away.
            List<List<Long>> received = new ArrayList<>();
            List<String> lastIds = new ArrayList<>();
            for (Socket s : clients) {
                List<Long> seqs = new ArrayList<>();
                lastIds.add(readIds(s, seqs));
                received.add(seqs);
                s.close();
            }
            // What the stalled streams held is what their ending gave back (measured this way, the
            // figure does not depend on what earlier tests in this JVM left behind). A replay queued
            // whole would hold it all here: one coalesced copy of the 17 MB per stream.
            // Per stream: its queue (at most queue-max-bytes), the event being written (taken from the
            // queue, held until the socket takes it) and the stream's own objects. A warm JVM fills
            // every queue within the 1.5 s (measured: 10.6 MB after other tests, against 9.6 MB alone),
            // so the queue bound alone is too tight.
            long bound = NON_READERS * (long) (QUEUE_MAX_BYTES + EVENT_BYTES + 16 * 1024);
            long held = during - usedHeapAfterGc();
            System.out.println("heap held by " + NON_READERS + " stalled replays of " + ((EVENTS * (long) EVENT_BYTES) >> 20)
                + " MB each: " + (held >> 10) + " KB (bound " + (bound >> 10) + " KB)");
            assertTrue(held <= bound, "heap held by the stalled streams " + held + " > " + NON_READERS
                + " x (queue-max-bytes + an event in flight + 16 KB)");

            // Each resumes from its last id and gets every event once, in order, over both connections.
            for (int c = 0; c < NON_READERS; c++) {
                List<Long> seqs = received.get(c);
                try (Socket again = new Socket("127.0.0.1", gw.port())) {
                    again.getOutputStream().write(("GET /events?topic=big HTTP/1.1\r\nHost: x\r\nLast-Event-ID: "
                        + lastIds.get(c) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    readIds(again, seqs, EVENTS);
                }
                assertEquals(EVENTS, seqs.size(), "events received over both connections");
                for (int i = 0; i < EVENTS; i++) {
                    assertEquals(i + 1, seqs.get(i), "in order, no gap, no duplicate");
                }
            }
        }
    }

    /**
     * Reads as an EventSource would until the stream ends or is quiet for 1.5 s: only complete
     * events count (a cut-off event is not dispatched and does not move Last-Event-ID). Adds each
     * event's seq; returns the last id.
     */
    private static String readIds(Socket s, List<Long> seqs) throws IOException {
        return readIds(s, seqs, Integer.MAX_VALUE);
    }

    /** As {@link #readIds(Socket, List)}, stopping once {@code seqs} holds {@code enough} ids. */
    private static String readIds(Socket s, List<Long> seqs, int enough) throws IOException {
        s.setSoTimeout(200);
        String[] last = {null};
        ChunkedSseReader reader = new ChunkedSseReader(s.getInputStream(), e -> {
            if (e.id() != null && !e.id().isEmpty()) {
                seqs.add(Long.parseLong(e.id().substring(e.id().indexOf('-') + 1)));
                last[0] = e.id();
            }
        });
        int seen = seqs.size();
        long quietSince = System.nanoTime();
        while (seqs.size() < enough && reader.readSome() && !reader.ended()) {
            if (seqs.size() != seen) {
                seen = seqs.size();
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 1_500_000_000L) {
                break;
            }
        }
        return last[0];
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
