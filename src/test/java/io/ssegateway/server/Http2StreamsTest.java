package io.ssegateway.server;

import static io.ssegateway.testing.H2Client.H2Stream.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.H2Client.H2Stream;
import io.ssegateway.testing.H2Client;
import io.ssegateway.testing.Metrics;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TcpRelay;
import io.ssegateway.testing.TestGateway;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.Test;

/**
 * The stream guarantees over HTTP/2 (cleartext h2 with prior knowledge, as a proxy speaks it),
 * with a real HTTP/2 client: many streams on one connection, a reset stream, a stream whose client
 * stops reading, the busy answer, heartbeats, resume and the shutdown drain.
 */
class Http2StreamsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void manyStreamsOnOneConnectionEachGetEveryEvent() throws Exception {
        try (TestGateway gw = TestGateway.start();
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            List<H2Stream> streams = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                streams.add(connection.get("/events?topic=t" + (i % 3)));
            }
            await(() -> gw.gateway().streams() == 300, WAIT, "300 streams open");
            for (int i = 0; i < 3; i++) {
                gw.publishOk("t" + i, "to t" + i);
            }
            for (int i = 0; i < streams.size(); i++) {
                H2Stream s = streams.get(i);
                int topic = i % 3;
                await(() -> s.events.size() == 1, WAIT, "stream " + topic + " got its event");
                assertEquals(200, s.status);
                assertEquals("to t" + topic, s.events.get(0).data());
            }
        }
    }

    /**
     * Issue 25: a broadcast to the streams of one connection leaves in write batches, two socket
     * writes per 32 streams, not one per stream (counted per thread in /proc: the pump threads'
     * write system calls).
     */
    @Test
    void aBroadcastReachesTheStreamsOfAConnectionInWriteBatches() throws Exception {
        int count = 320;
        try (TestGateway gw = TestGateway.start();
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            List<H2Stream> streams = openAll(gw, connection, count, "all");
            long before = pumpWriteCalls();
            gw.publishOk("all", "to every stream");
            for (H2Stream s : streams) {
                await(() -> s.events.size() == 1, WAIT, "each stream got the event");
            }
            long writes = pumpWriteCalls() - before;
            assertTrue(writes <= count / 8, writes + " write system calls on the pump threads for " + count + " streams");
            Thread.sleep(200);
            for (H2Stream s : streams) {
                assertEquals(1, s.events.size(), "once");
            }
        }
    }

    /**
     * Issue 25: a broadcast's DATA frames are copied into Jetty's write buffers, several to a pooled
     * buffer, not kept as pieces that make Jetty take a pooled buffer for every frame header
     * ({@link InlinedChunks}). Counts the buffers the connector's pool hands out meanwhile; fails
     * if Jetty stops copying such a view (then {@code InlinedChunks} has to be looked at again).
     */
    @Test
    void aBroadcastIsCopiedIntoJettysWriteBuffersNotOnePooledBufferPerFrame() throws Exception {
        // Without the copy: a buffer per frame (count + 2). With it: 8 frames to a buffer, and on
        // each thread that writes, the first InlinedChunks.LEAD writes go out as before.
        int count = 640;
        String data = "x".repeat(1000);
        try (TestGateway gw = TestGateway.start("pump-threads", "2");
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            List<H2Stream> streams = openAll(gw, connection, count, "all");
            // A stream's first event carries its retry: field, in a block of its own: not shared.
            gw.publishOk("all", "first");
            for (H2Stream s : streams) {
                await(() -> s.events.size() == 1, WAIT, "each stream got the first event");
            }
            ArrayByteBufferPool pool = (ArrayByteBufferPool) gw.byteBufferPool();
            pool.setStatisticsEnabled(true);
            long before = acquires(pool);
            gw.publishOk("all", data);
            for (H2Stream s : streams) {
                await(() -> s.events.size() == 2, WAIT, "each stream got the event");
                assertEquals(data, s.events.get(1).data());
            }
            long acquires = acquires(pool) - before;
            assertTrue(acquires <= count / 3, acquires + " pooled buffers taken to write " + count + " frames of 1 KB");
        }
    }

    /** Opens {@code count} streams of {@code topic} on {@code connection}; returns once each has its preamble. */
    private static List<H2Stream> openAll(TestGateway gw, H2Client.Connection connection, int count, String topic) throws Exception {
        List<H2Stream> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            streams.add(connection.get("/events?topic=" + topic));
        }
        await(() -> gw.gateway().streams() == count, WAIT, "streams open");
        for (H2Stream s : streams) {
            await(() -> !s.comments.isEmpty(), WAIT, "the preamble");
        }
        return streams;
    }

    /** Buffers the pool has handed out so far (statistics on), heap and direct. */
    private static long acquires(ArrayByteBufferPool pool) {
        return java.util.stream.Stream.concat(pool.getHeapBucketsStatistics().stream(), pool.getDirectBucketsStatistics().stream())
            .mapToLong(bucket -> ((Number) bucket.get("acquires")).longValue()).sum();
    }

    /**
     * Write system calls made so far by this JVM's pump threads ({@code syscw} of each {@code
     * /proc/self/task/N/io}). A thread that ended between the listing and the read (an earlier
     * test's pool winding down) is skipped: it is no pump of this test's gateway.
     */
    private static long pumpWriteCalls() throws java.io.IOException {
        long sum = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                try {
                    if (java.nio.file.Files.readString(task.resolve("comm")).startsWith("sse-pump")) {
                        for (String line : java.nio.file.Files.readAllLines(task.resolve("io"))) {
                            if (line.startsWith("syscw:")) {
                                sum += Long.parseLong(line.substring(6).trim());
                            }
                        }
                    }
                } catch (java.nio.file.NoSuchFileException ended) {
                    // the thread is gone
                }
            }
        }
        return sum;
    }

    @Test
    void aResetStreamReleasesItsPermitAtOnceAndTheConnectionStaysUsable() throws Exception {
        // One permit, 25 s heartbeats: only the reset itself can free the permit within the wait.
        try (TestGateway gw = TestGateway.start("max-streams", "1");
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            H2Stream first = connection.get("/events?topic=a");
            await(() -> gw.gateway().streams() == 1, WAIT, "the stream open");
            long reset = System.nanoTime();
            first.cancel();
            await(() -> gw.gateway().streams() == 0, Duration.ofSeconds(2), "the permit released");
            long releasedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reset);
            assertTrue(releasedMillis < 1000, "released after " + releasedMillis + " ms");
            assertEquals(1.0, Metrics.value(gw, "sse_streams_closed_total{reason=\"client-gone\"}"));

            H2Stream second = connection.get("/events?topic=a");
            await(() -> gw.gateway().streams() == 1, WAIT, "a new stream admitted on the same connection");
            gw.publishOk("a", "after the reset");
            await(() -> second.events.size() == 1, WAIT, "the new stream's event");
            assertTrue(first.events.isEmpty());
        }
    }

    @Test
    void aStreamWhoseClientStopsReadingDoesNotStallTheOthersOnItsConnection() throws Exception {
        // The client grants each stream 16 KB in flight and the connection as much as HTTP/2 allows:
        // flow control stops the unread stream only. Its queue (64 KB) then fills and it is closed.
        try (TestGateway gw = TestGateway.start("queue-max-bytes", "65536");
             H2Client client = new H2Client(gw.port(), false, 16 * 1024);
             H2Client.Connection connection = client.connect()) {
            StalledAndReading pair = StalledAndReading.open(gw, connection);
            H2Stream reading = pair.reading();
            int events = 400; // 400 KB: far beyond the stalled stream's window and queue
            pair.publishNumbered(events);
            await(() -> reading.events.size() == events, WAIT, "every event on the stream that reads");
            for (int i = 0; i < events; i++) {
                assertTrue(reading.events.get(i).data().startsWith(i + " "), "event " + i + " in order");
            }
            await(() -> gw.gateway().streams() == 1, WAIT, "the stalled stream closed as a slow consumer");
            assertEquals(0, pair.stalled().bytes.get(), "the unread stream's data was never read");
        }
    }

    /**
     * A stream whose client stops reading, with room left in its queue: its DATA frames wait for a
     * window that never comes, so Jetty's idle timeout of the stream is what ends it. The stream has
     * left Jetty's HTTP layer by then ({@link Http2Frames}), so the timeout must reach the gateway
     * there, release the stream and reset it, and leave the connection's other streams alone.
     */
    @Test
    void aStreamWhoseClientStopsReadingIsReleasedAtTheIdleTimeout() throws Exception {
        try (TestGateway gw = TestGateway.start("idle-timeout", "2s", "heartbeat", "1s", "queue-max-bytes", "1048576");
             H2Client client = new H2Client(gw.port(), false, 16 * 1024);
             H2Client.Connection connection = client.connect()) {
            StalledAndReading pair = StalledAndReading.open(gw, connection);
            H2Stream reading = pair.reading();
            pair.publishNumbered(40); // 40 KB: beyond the stalled stream's window, within its queue
            await(() -> gw.gateway().streams() == 1, WAIT, "the stalled stream released at its idle timeout");
            await(() -> pair.stalled().reset, WAIT, "the stalled stream reset");
            gw.publishOk("a", "after");
            await(() -> reading.events.size() == 41, WAIT, "every event on the stream that reads");
            assertEquals("after", reading.events.get(40).data());
            assertTrue(!connection.isClosed());
        }
    }

    @Test
    void aFullNodeAnswersWithTheBusyFrameOnItsStreamAndTheConnectionLives() throws Exception {
        try (TestGateway gw = TestGateway.start("max-streams", "1");
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            H2Stream holder = connection.get("/events?topic=a");
            await(() -> gw.gateway().streams() == 1, WAIT, "the node full");
            H2Stream refused = connection.get("/events?topic=a");
            await(() -> refused.ended, WAIT, "the refused stream ends");
            assertEquals(200, refused.status, "an EventSource must see 200 to retry");
            assertEquals("server-busy", refused.events.get(0).event());
            assertTrue(Integer.parseInt(refused.events.get(0).retry()) > 0);
            // The connection is still good: the held stream gets events.
            gw.publishOk("a", "still here");
            await(() -> holder.events.size() == 1, WAIT, "the held stream's event");
            assertTrue(!connection.isClosed());
        }
    }

    @Test
    void heartbeatsAndResumeWorkOverHttp2() throws Exception {
        try (TestGateway gw = TestGateway.start("heartbeat", "1s", "idle-timeout", "10s");
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            String first = gw.publishOk("a", "one");
            gw.publishOk("a", "two");
            H2Stream resumed = connection.get("/events?topic=a", Map.of("Last-Event-ID", first), true);
            await(() -> resumed.events.size() == 1, WAIT, "the event after Last-Event-ID");
            assertEquals("two", resumed.events.get(0).data());
            int before = resumed.comments.size();
            await(() -> resumed.comments.size() >= before + 2, Duration.ofSeconds(5), "two heartbeats");
        }
    }

    /**
     * HTTP/2 streams whose client reset them, or whose connection died, end without
     * the container's completion callback (it reports an error only). The drain waits for
     * unfinished responses, so it must count those as finished, or every drain after a client
     * vanished would last the whole drain-timeout.
     */
    @Test
    void streamsResetOrOnADeadConnectionDoNotHoldTheDrain() throws Exception {
        TestGateway gw = TestGateway.start("drain-timeout", "8s", "shutdown-retry-jitter", "0s");
        try (H2Client client = new H2Client(gw.port(), false)) {
            H2Client.Connection resetting = client.connect();
            H2Client.Connection staying = client.connect();
            List<H2Stream> reset = new ArrayList<>();
            List<H2Stream> kept = new ArrayList<>();
            try (TcpRelay relay = TcpRelay.to(gw.port());
                 H2Client leaving = new H2Client(relay.port(), false)) {
                H2Client.Connection gone = leaving.connect();
                for (int i = 0; i < 20; i++) {
                    reset.add(resetting.get("/events?topic=a"));
                    gone.get("/events?topic=a");
                    kept.add(staying.get("/events?topic=a"));
                }
                await(() -> gw.gateway().streams() == 60, WAIT, "60 streams open");
                reset.forEach(H2Stream::cancel);
                await(() -> gw.gateway().streams() == 40, WAIT, "the reset streams released");
                relay.cutAll(); // the connection dies without a GOAWAY, as a killed client's does
                await(() -> gw.gateway().streams() == 20, WAIT, "the dead connection's streams released");
            }
            await(() -> gw.gateway().streamNode().unfinishedResponses() == 20, WAIT,
                "only the open streams' responses unfinished, was " + gw.gateway().streamNode().unfinishedResponses());
            long start = System.nanoTime();
            gw.close();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < 4000, "the drain ended with the last response, not at the 8 s deadline: " + tookMs + " ms");
            for (H2Stream s : kept) {
                await(() -> s.ended || s.reset, WAIT, "the stream ended");
                assertTrue(s.ended && !s.reset, "the stream ended with END_STREAM, not a reset");
                assertEquals("server-shutdown", s.events.get(s.events.size() - 1).event());
            }
        } finally {
            gw.close();
        }
    }

    /**
     * Issue 25: a client that drops its streams at once (a connection that dies, streams it
     * resets) is released without a thread started per stream. Jetty runs each failed stream's
     * handling "immediately": on a parked reserved thread, else on a new thread of its own, so
     * 100,000 dropped streams started tens of thousands of threads (4-6 s to release them); the
     * embedded server's pool queues those tasks for a few threads of its own instead. A stream
     * held below Jetty's HTTP layer ({@link Http2Frames}) is not even handed to those: its failure
     * is handled on the thread that fails it (100,000 released in 0.38 s against 0.54 s).
     */
    @Test
    void droppedStreamsAreReleasedWithoutAThreadStartedPerStream() throws Exception {
        int perConnection = 1000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (TestGateway gw = TestGateway.start();
             TcpRelay relay = TcpRelay.to(gw.port());
             H2Client client = new H2Client(relay.port(), false)) {
            H2Client.Connection dying = client.connect();
            H2Client.Connection resetting = client.connect();
            List<H2Stream> reset = new ArrayList<>();
            List<H2Stream> all = new ArrayList<>();
            for (int i = 0; i < perConnection; i++) {
                all.add(dying.get("/events?topic=a"));
                reset.add(resetting.get("/events?topic=a"));
            }
            all.addAll(reset);
            await(() -> gw.gateway().streams() == 2 * perConnection, WAIT, "the streams open");
            // A stream's second write follows its first one's end, where it left the HTTP layer.
            gw.publishOk("a", "second write");
            await(() -> all.stream().allMatch(s -> s.events.size() == 1), WAIT, "every stream past its first write");
            Set<Thread> immediateBefore = immediateThreads();
            long started = threads.getTotalStartedThreadCount();
            reset.forEach(H2Stream::cancel);
            relay.cutAll(); // both connections die without a GOAWAY, as a killed client's do
            await(() -> gw.gateway().streams() == 0, WAIT, "every dropped stream released");
            long startedMeanwhile = threads.getTotalStartedThreadCount() - started;
            assertTrue(startedMeanwhile < 50,
                startedMeanwhile + " threads started while " + 2 * perConnection + " dropped streams were released");
            assertEquals(immediateBefore, immediateThreads(), "no failure was handed to the immediate threads");
        }
    }

    /** The live threads of the embedded server's pool for tasks Jetty runs at once ({@link GatewayThreadPool}). */
    private static Set<Thread> immediateThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("sse-immediate"))
            .collect(Collectors.toSet());
    }

    @Test
    void shutdownSendsServerShutdownOnEveryStreamThenGoAway() throws Exception {
        TestGateway gw = TestGateway.start("drain-timeout", "2s", "shutdown-retry-jitter", "0s");
        try (H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            List<H2Stream> streams = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                streams.add(connection.get("/events?topic=a"));
            }
            await(() -> gw.gateway().streams() == 20, WAIT, "20 streams open");
            gw.close();
            for (H2Stream s : streams) {
                await(() -> s.ended || s.reset, WAIT, "the stream ended");
                assertTrue(s.ended && !s.reset, "the stream ended with END_STREAM, not a reset");
                SseEvent last = s.events.get(s.events.size() - 1);
                assertEquals("server-shutdown", last.event());
            }
            assertTrue(connection.goAway.await(10, TimeUnit.SECONDS), "GOAWAY received");
        } finally {
            gw.close();
        }
    }

    /** Two streams of topic {@code a} on one connection, the first never read by its client. */
    private record StalledAndReading(TestGateway gw, H2Stream stalled, H2Stream reading) {
        static StalledAndReading open(TestGateway gw, H2Client.Connection connection) throws Exception {
            H2Stream stalled = connection.get("/events?topic=a", Map.of(), false);
            H2Stream reading = connection.get("/events?topic=a");
            await(() -> gw.gateway().streams() == 2, WAIT, "both streams open");
            return new StalledAndReading(gw, stalled, reading);
        }

        /** Publishes {@code count} events of about 1 KB, each starting with its number from 0. */
        void publishNumbered(int count) throws Exception {
            String payload = "x".repeat(1000);
            for (int i = 0; i < count; i++) {
                gw.publishOk("a", i + " " + payload);
            }
        }
    }
}
