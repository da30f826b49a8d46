package io.ssegateway.server;

import static io.ssegateway.testing.H2Client.H2Stream.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.ssegateway.testing.H2Client.H2Stream;
import io.ssegateway.testing.H2Client;
import io.ssegateway.testing.LogLines;
import io.ssegateway.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/**
 * {@link InPlaceStreamOpening} over a real HTTP/2 connection: streams open on the thread that read
 * them, and every other request is still handed to the request threads.
 */
class InPlaceStreamOpeningTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * With every request thread busy (a storm's state), HTTP/2 streams are still opened: nothing of
     * their opening waits in the pool's queue. Their first write does (a resumed stream's first page
     * may be read from the broker there), so their headers follow once the threads are free.
     */
    @Test
    void http2StreamsOpenWhileEveryRequestThreadIsBusy() throws Exception {
        try (TestGateway gw = TestGateway.start();
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            established(connection);
            CountDownLatch release = gw.occupyRequestThreads();
            List<H2Stream> streams = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    streams.add(connection.get("/events?topic=busy"));
                }
                await(() -> gw.gateway().streams() == 51, WAIT, "50 streams open while the request threads are busy");
            } finally {
                release.countDown();
            }
            for (H2Stream s : streams) {
                await(() -> s.status == 200 && s.bytes.get() > 0, WAIT, "the stream's headers and first bytes");
            }
        }
    }

    /**
     * Every other request over HTTP/2 is handed to the request threads, as Jetty would: a publish may
     * wait there for the broker, and the connection's other streams must not wait with it. Shown with
     * {@code /ready}, which would otherwise be answered where it is read: while every request thread
     * is busy it is not answered, and a stream asked for after it on the same connection opens.
     */
    @Test
    void otherHttp2RequestsWaitForARequestThreadWhileAStreamOpensBesideThem() throws Exception {
        try (TestGateway gw = TestGateway.start();
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            established(connection);
            CountDownLatch release = gw.occupyRequestThreads();
            H2Stream ready;
            try {
                ready = connection.get("/ready");
                connection.get("/events?topic=beside");
                await(() -> gw.gateway().streams() == 2, WAIT, "the stream open while the request threads are busy");
                assertFalse(ready.ended, "/ready was answered where its connection is read");
            } finally {
                release.countDown();
            }
            await(() -> ready.ended, WAIT, "/ready answered");
            assertEquals(200, ready.status);
        }
    }

    /**
     * A stream that resumes is opened on a request thread: its opening reads the replay's first page
     * from the broker. While every request thread is busy it waits, and a stream asked for after it on
     * the same connection opens; once the threads are free it opens and gets what it missed.
     */
    @Test
    void anHttp2StreamThatResumesWaitsForARequestThread() throws Exception {
        try (TestGateway gw = TestGateway.start();
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            established(connection);
            // A live stream on the topic: a resuming stream then reads its history as it opens.
            H2Stream live = connection.get("/events?topic=resumed");
            await(() -> live.status == 200, WAIT, "a live stream on the topic");
            String seen = gw.publishOk("resumed", "seen");
            gw.publishOk("resumed", "missed");
            CountDownLatch release = gw.occupyRequestThreads();
            H2Stream resuming;
            try {
                resuming = connection.get("/events?topic=resumed", Map.of("Last-Event-ID", seen), true);
                connection.get("/events?topic=beside");
                await(() -> gw.gateway().streams() >= 3, WAIT, "the other stream open while the request threads are busy");
                Thread.sleep(100); // what a resuming stream opened in place would have done meanwhile
                assertEquals(3, gw.gateway().streams(), "the resuming stream was opened where its connection is read");
                assertEquals(0.0, replayedEvents(gw), "the resuming stream read its history where its connection is read");
            } finally {
                release.countDown();
            }
            await(() -> resuming.events.size() == 1, WAIT, "the missed event replayed");
            assertEquals("missed", resuming.events.get(0).data());
        }
    }

    /**
     * Requests still queued for a request thread when the server stops (a reconnect storm at a
     * draining node) are failed, so their clients see the connection end and reconnect; Jetty's pool
     * does not log each of them as a job it stopped without running or closing.
     */
    @Test
    void requestsStillQueuedWhenTheServerStopsAreFailedWithoutAWarningEach() throws Exception {
        try (LogLines pool = LogLines.of(QueuedThreadPool.class);
             TestGateway gw = TestGateway.start();
             H2Client client = new H2Client(gw.port(), false);
             H2Client.Connection connection = client.connect()) {
            established(connection);
            CountDownLatch neverReleased = gw.occupyRequestThreads();
            List<H2Stream> queued = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                queued.add(connection.get("/ready"));
            }
            await(() -> gw.queuedJobs() >= 20, WAIT, "20 requests queued for a request thread");
            gw.stop();
            assertEquals(1, neverReleased.getCount());
            // Jetty logs one such line of its own at a stop (a reserved thread); none is a request.
            assertEquals(List.of(), pool.messages().stream().filter(m -> m.contains(InPlaceStreamOpening.class.getSimpleName())).toList());
            for (H2Stream s : queued) {
                await(() -> s.reset || s.ended || connection.goAway.getCount() == 0, WAIT, "the queued request ended");
                assertTrue(s.status != 200, "a request queued at the stop was not run: " + s.status);
            }
        }
    }

    /** {@code sse_events_replayed_total}, read from the registry: {@code /metrics} would wait for a request thread. */
    private static double replayedEvents(TestGateway gw) {
        for (MetricSnapshot metric : gw.gateway().metrics().registry().scrape()) {
            if (metric instanceof CounterSnapshot counter && "sse_events_replayed".equals(counter.getMetadata().getName())) {
                return counter.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
            }
        }
        throw new AssertionError("no sse_events_replayed_total");
    }

    /**
     * Opens a first stream and waits for its headers, so that the server has read the connection's
     * preface (as HTTP/1.1, then upgraded to HTTP/2) and sent a first write before the test occupies
     * the request threads: those steps are not what the tests are about.
     */
    private static void established(H2Client.Connection connection) throws Exception {
        H2Stream first = connection.get("/events?topic=first");
        await(() -> first.status == 200, WAIT, "the connection's first stream");
    }

    /** The declaration Jetty acts on: a handler added in front that may block would turn it off. */
    @Test
    void theServerDeclaresItsRequestsNonBlocking() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            assertTrue(gw.requestsNonBlocking(), "Jetty would queue every HTTP/2 request on the pool");
        }
    }
}
