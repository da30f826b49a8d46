package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/** Core issue: 2,000 concurrent streams each receive a 50-event broadcast exactly once and in order. */
class BroadcastTest {
    private static final int STREAMS = 2000;
    private static final int EVENTS = 50;

    @Test
    void twoThousandStreamsEachReceiveEveryBroadcastExactlyOnceInOrder() throws Exception {
        HttpClient http = Clients.started(STREAMS + 16);
        try (TestGateway gw = TestGateway.start()) {
            List<SseClient> clients = new ArrayList<>(STREAMS);
            for (int i = 0; i < STREAMS; i++) {
                clients.add(SseClient.connect(http, gw.url("/events?topic=all")));
            }
            for (SseClient c : clients) {
                c.nextComment(Duration.ofSeconds(30));
            }
            assertEquals(STREAMS, gw.gateway().streamNode().streamCount());
            List<String> published = new ArrayList<>(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                published.add(gw.publishOk("all", "event " + i));
            }
            for (SseClient c : clients) {
                List<String> got = c.take(EVENTS, Duration.ofSeconds(60)).stream().map(SseEvent::id).toList();
                assertEquals(published, got);
            }
            Thread.sleep(200);
            for (SseClient c : clients) {
                assertEquals(0, c.pendingEvents(), "no duplicate arrived late");
                c.close();
            }
        } finally {
            http.stop();
        }
    }
}
