package io.ssegateway.server;

import static io.ssegateway.testing.H2Client.H2Stream.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.H2Client;
import io.ssegateway.testing.LiveHeap;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 25: what a held stream keeps of Jetty's, counted in the live heap (the JVM's class
 * histogram, after a full collection) while HTTP/2 and HTTP/1.1 streams are held. Without
 * {@link NoChannelCache} every stream keeps one {@code Attributes.Mapped} (Jetty's per-connection
 * cache, with the {@code ConcurrentHashMap} inside it); without {@link StreamHandoff} its servlet
 * channel, request, response and output (about 1,700 B of heap); an HTTP/2 stream without
 * {@link Http2Frames} also Jetty's HTTP layer: its channel state, with the request and response in
 * it, and its HTTP/2 adapter (about 1,100 B); without {@link RequestHeadRelease} the request head
 * Jetty's HTTP/2 stream keeps (its method, URI and header fields: each stream here carries its own
 * cookie, as a proxy that multiplexes browsers sends them; counted by its {@code HttpURI.Mutable}, which
 * the server's HPACK decoder makes and this test's client does not). The streams still deliver.
 */
class HeldStreamHeapTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Per held stream without the handlers: Jetty's channel cache, the servlet layer's objects, the HTTP layer's. */
    private static final String[] PER_STREAM_CLASSES = {
        "org.eclipse.jetty.util.Attributes$Mapped",
        "org.eclipse.jetty.ee10.servlet.ServletChannel",
        "org.eclipse.jetty.ee10.servlet.ServletContextRequest",
        "org.eclipse.jetty.ee10.servlet.ServletContextResponse",
        "org.eclipse.jetty.ee10.servlet.HttpOutput",
        "org.eclipse.jetty.server.internal.HttpChannelState",
        "org.eclipse.jetty.http2.server.internal.HttpStreamOverHTTP2",
        "org.eclipse.jetty.http.HttpURI$Mutable"};
    /** Kept by an HTTP/1.1 stream, which is still written through Jetty's HTTP layer. */
    private static final List<String> KEPT_OVER_HTTP1 = List.of(
        "org.eclipse.jetty.server.internal.HttpChannelState", "org.eclipse.jetty.http.HttpURI$Mutable");

    @Test
    void heldStreamsKeepNoCacheMapNoServletObjectsAndOverHttp2NoHttpLayerAndStillDeliver() throws Exception {
        int h2Streams = 1000;
        int h1Streams = 200;
        try (TestGateway gw = TestGateway.start("max-streams-per-client", "0");
             H2Client h2 = new H2Client(gw.port(), false);
             H2Client.Connection connection = h2.connect()) {
            HttpClient http = Clients.started(h1Streams);
            List<SseClient> h1 = new ArrayList<>();
            List<H2Client.H2Stream> h2s = new ArrayList<>();
            try {
                long[] before = LiveHeap.instances(PER_STREAM_CLASSES);
                for (int i = 0; i < h2Streams; i++) {
                    h2s.add(connection.get("/events?topic=a", Map.of("cookie", "session=" + "s".repeat(100) + i), true));
                }
                for (int i = 0; i < h1Streams; i++) {
                    h1.add(SseClient.connect(http, gw.url("/events?topic=a")));
                }
                await(() -> gw.gateway().streams() == h2Streams + h1Streams, WAIT, "the streams open");
                long[] held = LiveHeap.instances(PER_STREAM_CLASSES);
                for (int c = 0; c < PER_STREAM_CLASSES.length; c++) {
                    long more = held[c] - before[c];
                    long allowed = KEPT_OVER_HTTP1.contains(PER_STREAM_CLASSES[c]) ? h1Streams + 50 : 50;
                    assertTrue(more < allowed, more + " " + PER_STREAM_CLASSES[c] + " more in the live heap while "
                        + (h2Streams + h1Streams) + " streams are held");
                }

                gw.publishOk("a", "to all");
                await(() -> h2s.stream().allMatch(s -> s.events.size() == 1), WAIT, "every HTTP/2 stream's event");
                for (SseClient client : h1) {
                    assertEquals("to all", client.next(WAIT, "the HTTP/1.1 stream's event").data());
                }
            } finally {
                h1.forEach(SseClient::close);
                http.stop();
            }
        }
    }
}
