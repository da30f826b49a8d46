package io.ssegateway.server;

import static io.ssegateway.testing.H2Client.H2Stream.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.H2Client;
import io.ssegateway.testing.LiveHeap;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 25: a held stream keeps no map of Jetty's per-connection cache. Counted in the live heap
 * (the JVM's class histogram, taken after a full collection) while HTTP/2 and HTTP/1.1 streams are
 * held: without {@link NoChannelCache} every stream keeps one {@code Attributes.Mapped} (and the
 * {@code ConcurrentHashMap} inside it) for as long as it lives.
 */
class NoChannelCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CACHE_CLASS = "org.eclipse.jetty.util.Attributes$Mapped";

    @Test
    void heldStreamsKeepNoCacheMapOverEitherProtocol() throws Exception {
        int h2Streams = 1000;
        int h1Streams = 200;
        try (TestGateway gw = TestGateway.start("max-streams-per-client", "0");
             H2Client h2 = new H2Client(gw.port(), false);
             H2Client.Connection connection = h2.connect()) {
            HttpClient http = Clients.started(h1Streams);
            List<SseClient> h1 = new ArrayList<>();
            try {
                long before = LiveHeap.instances(CACHE_CLASS)[0];
                for (int i = 0; i < h2Streams; i++) {
                    connection.get("/events?topic=a");
                }
                for (int i = 0; i < h1Streams; i++) {
                    h1.add(SseClient.connect(http, gw.url("/events?topic=a")));
                }
                await(() -> gw.gateway().streams() == h2Streams + h1Streams, WAIT, "the streams open");
                long held = LiveHeap.instances(CACHE_CLASS)[0] - before;
                assertTrue(held < 50, held + " " + CACHE_CLASS + " more in the live heap while "
                    + (h2Streams + h1Streams) + " streams are held (one per stream is Jetty's channel cache)");
            } finally {
                h1.forEach(SseClient::close);
                http.stop();
            }
        }
    }
}
