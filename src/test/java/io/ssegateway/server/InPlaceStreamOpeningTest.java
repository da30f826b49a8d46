package io.ssegateway.server;

import static io.ssegateway.testing.H2Client.H2Stream.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.H2Client.H2Stream;
import io.ssegateway.testing.H2Client;
import io.ssegateway.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
            CountDownLatch release = gw.occupyRequestThreads();
            List<H2Stream> streams = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    streams.add(connection.get("/events?topic=busy"));
                }
                await(() -> gw.gateway().streams() == 50, WAIT, "50 streams open while the request threads are busy");
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
            CountDownLatch release = gw.occupyRequestThreads();
            H2Stream ready;
            try {
                ready = connection.get("/ready");
                connection.get("/events?topic=beside");
                await(() -> gw.gateway().streams() == 1, WAIT, "the stream open while the request threads are busy");
                assertFalse(ready.ended, "/ready was answered where its connection is read");
            } finally {
                release.countDown();
            }
            await(() -> ready.ended, WAIT, "/ready answered");
            assertEquals(200, ready.status);
        }
    }

    /** The declaration Jetty acts on: a handler added in front that may block would turn it off. */
    @Test
    void theServerDeclaresItsRequestsNonBlocking() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            assertTrue(gw.requestsNonBlocking(), "Jetty would queue every HTTP/2 request on the pool");
        }
    }
}
