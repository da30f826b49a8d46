package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.WireFormat;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One stream, many topics: {@code envelope=json} frames name each event's topic, keep its id and
 * type, carry any data intact, resume like plain frames, and are encoded once per event.
 */
class EnvelopeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestGateway gw;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        http = Clients.started(16);
        gw = TestGateway.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        gw.close();
    }

    @Test
    void oneStreamOfManyTopicsTellsEachEventsTopicAndKeepsItsIdTypeAndData() throws Exception {
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=news&topic=sport&topic=weather&envelope=json"))) {
            c.response();
            String tricky = "line one\r\nline \"two\"\n\u00e9t\u00e9 \u2603 \\ end";
            String sportId = gw.publishOk("sport", tricky);
            String newsId = io.ssegateway.testing.Json.field(
                gw.post("/publish?topic=news&event=headline", "{\"title\":\"x\"}").body(), "id");
            SseEvent sport = c.next(WAIT, "the sport event");
            SseEvent news = c.next(WAIT, "the news event");
            assertEquals(sportId, sport.id());
            assertEquals("message", sport.typeOrMessage());
            JsonObject sportBody = parse(sport.data());
            assertEquals("sport", sportBody.getString("topic"));
            // What an EventSource would have assembled from the plain frame: line breaks as \n.
            assertEquals("line one\nline \"two\"\n\u00e9t\u00e9 \u2603 \\ end", sportBody.getString("data"));
            assertEquals(newsId, news.id());
            assertEquals("headline", news.event());
            assertEquals("news", parse(news.data()).getString("topic"));
            assertEquals("{\"title\":\"x\"}", parse(news.data()).getString("data"));
        }
    }

    @Test
    void resumeReplaysEnvelopedEventsOfEveryTopicInOrder() throws Exception {
        String seen = gw.publishOk("a", "a1");
        List<String> missed = List.of(gw.publishOk("b", "b1"), gw.publishOk("a", "a2"));
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=a&topic=b&envelope=json"), seen)) {
            List<SseEvent> replayed = c.take(2, WAIT);
            assertEquals(missed, replayed.stream().map(SseEvent::id).toList());
            assertEquals(List.of("b", "a"), replayed.stream().map(e -> parse(e.data()).getString("topic")).toList());
            assertEquals(List.of("b1", "a2"), replayed.stream().map(e -> parse(e.data()).getString("data")).toList());
        }
    }

    @Test
    void plainAndEnvelopedStreamsOfOneTopicEachGetTheirFormat() throws Exception {
        try (SseClient plain = SseClient.connect(http, gw.url("/events?topic=t"));
             SseClient enveloped = SseClient.connect(http, gw.url("/events?topic=t&envelope=json"))) {
            plain.response();
            enveloped.response();
            gw.publishOk("t", "same event");
            assertEquals("same event", plain.next(WAIT, "plain").data());
            assertEquals("same event", parse(enveloped.next(WAIT, "enveloped").data()).getString("data"));
        }
    }

    @Test
    void anUnknownEnvelopeIsA400WithAReason() throws Exception {
        HttpResponse<String> r = gw.get("/events?topic=t&envelope=xml");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("\"invalid-envelope\""), r.body());
    }

    @Test
    void eachEventIsEncodedAtMostOncePerFormat() {
        Event e = Event.create(new EventId("e", 1), "t", null, "x", 0);
        assertSame(e, e.in(WireFormat.PLAIN));
        assertSame(e.in(WireFormat.JSON_ENVELOPE), e.in(WireFormat.JSON_ENVELOPE));
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }
}
