package io.ssegateway.clients;

import static io.ssegateway.testing.MercureTokens.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.EveryBlockClient.Dispatched;
import io.ssegateway.testing.EveryBlockClient;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.MercureHttp;
import io.ssegateway.testing.MercureTokens;
import io.ssegateway.testing.TestGateway;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, point 1: a client that dispatches every block with a field (httpx-sse, Gatling) sees
 * exactly the published events at both doors: nothing at connect, nothing for a heartbeat (before
 * or after an event with an id), nothing on resume, and the {@code retry:} with the first event.
 */
class EveryBlockClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough for two heartbeats at the 1 s interval set below. */
    private static final Duration TWO_HEARTBEATS = Duration.ofMillis(2300);
    private static final String HUB = "/.well-known/mercure";

    @TempDir
    Path dir;
    private TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start("heartbeat", "1s", "retry", "1500ms");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    @Test
    void theNativeDoorDispatchesOnlyPublishedEventsToAClientThatDispatchesEveryBlock() throws Exception {
        String firstId;
        try (EveryBlockClient plain = EveryBlockClient.connect(gw.url("/events?topic=news"), Map.of());
             EveryBlockClient json = EveryBlockClient.connect(gw.url("/events?topic=news&topic=sport&envelope=json"), Map.of())) {
            assertEquals(List.of(), plain.collect(TWO_HEARTBEATS), "nothing at connect, nothing for heartbeats");
            firstId = gw.publishOk("news", "first");
            String secondId = gw.publishOk("sport", "{\"score\":1}");

            Dispatched first = plain.take(1, WAIT).get(0);
            assertEquals(new Dispatched("message", "first", firstId, 1500), first, "retry: travels with the first event");
            List<Dispatched> enveloped = json.take(2, WAIT);
            JsonObject news = Json.parse(enveloped.get(0).data());
            assertEquals("news", news.getString("topic"));
            assertEquals("first", news.getString("data"));
            assertEquals(secondId, enveloped.get(1).id());
            assertEquals("{\"score\":1}", Json.parse(enveloped.get(1).data()).getString("data"));

            // httpx-sse keeps the last id and dispatches a comment's block once it has one.
            assertEquals(List.of(), plain.collect(TWO_HEARTBEATS), "heartbeats after an event with an id");
            assertEquals(List.of(), json.collect(Duration.ZERO));
        }
        gw.publishOk("news", "while away");
        try (EveryBlockClient resumed = EveryBlockClient.connect(gw.url("/events?topic=news"), Map.of("Last-Event-ID", firstId))) {
            Dispatched replayed = resumed.take(1, WAIT).get(0);
            assertEquals("while away", replayed.data());
            assertEquals(1500, replayed.retry());
            assertEquals(List.of(), resumed.collect(TWO_HEARTBEATS), "nothing after the replay but what is published");
        }
    }

    @Test
    void theMercureDoorDispatchesOnlyPublishedUpdatesToAClientThatDispatchesEveryBlock() throws Exception {
        MercureTokens tokens = MercureTokens.create(dir);
        gw.close();
        gw = TestGateway.start(tokens.settings("heartbeat", "1s", "retry", "1500ms"));
        String publisher = tokens.token(detail(List.of("publish"), "*"));
        String topic = "https://example.com/books/1";
        try (EveryBlockClient sub = EveryBlockClient.connect(gw.url(HUB + "?match=" + MercureHttp.enc(topic)), Map.of())) {
            assertEquals(List.of(), sub.collect(TWO_HEARTBEATS), "nothing at connect, nothing for heartbeats");
            String id = MercureHttp.publish(gw.url(HUB), publisher, "topic", topic, "data", "v1").body();
            assertEquals(new Dispatched("message", "v1", id, 1500), sub.take(1, WAIT).get(0));
            assertEquals(List.of(), sub.collect(TWO_HEARTBEATS), "heartbeats after an update with an id");
        }
    }

    @Test
    void theBusyAnswerIsOneEventWithData() throws Exception {
        gw.close();
        gw = TestGateway.start("max-streams", "1");
        try (EveryBlockClient holder = EveryBlockClient.connect(gw.url("/events?topic=a"), Map.of());
             EveryBlockClient refused = EveryBlockClient.connect(gw.url("/events?topic=a"), Map.of())) {
            Dispatched busy = refused.take(1, WAIT).get(0);
            assertEquals("server-busy", busy.event());
            assertTrue(Json.parse(busy.data()).getInt("retryMillis") > 0, busy.toString());
            assertEquals(List.of(), refused.collect(Duration.ofMillis(300)));
            assertEquals(List.of(), holder.collect(Duration.ZERO));
        }
    }
}
