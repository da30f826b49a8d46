package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Point 4 of the core issue: ids, resume, bounded history and gap signals. */
class ResumeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestGateway gw;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        http = Clients.started(64);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void lastEventIdHeaderReplaysMissedEventsOfAllTopicsInIdOrderThenLive() throws Exception {
        gw = TestGateway.start();
        String seen = gw.publishOk("a", "a1");
        List<String> missed = List.of(gw.publishOk("b", "b1"), gw.publishOk("a", "a2"), gw.publishOk("b", "b2"));
        gw.publishOk("c", "other topic");
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=a&topic=b"), seen)) {
            List<SseEvent> replayed = c.take(3, WAIT);
            assertEquals(missed, replayed.stream().map(SseEvent::id).toList());
            assertEquals(List.of("b1", "a2", "b2"), replayed.stream().map(SseEvent::data).toList());
            String live = gw.publishOk("a", "a3");
            assertEquals(live, c.next().id());
            c.assertNoEvent(Duration.ofMillis(200));
        }
    }

    @Test
    void lastEventIdQueryParameterWorksLikeTheHeader() throws Exception {
        gw = TestGateway.start();
        String first = gw.publishOk("q", "1");
        String second = gw.publishOk("q", "2");
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=q&lastEventId=" + first))) {
            SseEvent e = c.next();
            assertEquals(second, e.id());
            assertEquals("2", e.data());
        }
    }

    @Test
    void resumeWhilePublishingConcurrentlyHasNoDuplicateAndNoGap() throws Exception {
        gw = TestGateway.start("history-max-events", "100000");
        String start = gw.publishOk("race", "0");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> publisher = pool.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 1; i <= 2000; i++) {
                    ids.add(gw.publishOk("race", Integer.toString(i)));
                }
                return ids;
            });
            // Several clients resume at different moments while the publisher runs.
            List<SseClient> clients = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                clients.add(SseClient.connect(http, gw.url("/events?topic=race"), start));
                Thread.sleep(15);
            }
            List<String> published = publisher.get();
            for (SseClient c : clients) {
                List<String> got = c.take(published.size(), WAIT).stream().map(SseEvent::id).toList();
                assertEquals(published, got, "every event after the resume point exactly once, in order");
                c.assertNoEvent(Duration.ofMillis(100));
                c.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void multiTopicResumeWhilePublishingToAllTopicsHasNoDuplicateAndNoGap() throws Exception {
        gw = TestGateway.start("history-max-events", "100000");
        String start = gw.publishOk("m0", "start");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // Two publishers interleave three topics so that ids of different topics alternate.
            List<Future<List<String>>> publishers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int offset = p;
                publishers.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 600; i++) {
                        ids.add(gw.publishOk("m" + ((i + offset) % 3), Integer.toString(i)));
                    }
                    return ids;
                }));
            }
            List<SseClient> clients = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                clients.add(SseClient.connect(http, gw.url("/events?topic=m0&topic=m1&topic=m2"), start));
                Thread.sleep(10);
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : publishers) {
                all.addAll(f.get());
            }
            all.sort(java.util.Comparator.comparingLong(id -> Long.parseLong(id.substring(id.lastIndexOf('-') + 1))));
            for (SseClient c : clients) {
                assertEquals(all, c.take(all.size(), WAIT).stream().map(SseEvent::id).toList(),
                    "every event of the three topics after the resume point, once, in id order");
                c.assertNoEvent(Duration.ofMillis(100));
                c.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idOlderThanCountBoundedHistoryGetsGapEventThenWhatIsLeft() throws Exception {
        gw = TestGateway.start("history-max-events", "3");
        String old = gw.publishOk("h", "0");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(gw.publishOk("h", Integer.toString(i)));
        }
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=h"), old)) {
            SseEvent gap = c.next();
            assertEquals("gap", gap.event());
            JsonObject data = Json.parse(gap.data());
            assertEquals("history-trimmed", data.getString("reason"));
            assertEquals(old, data.getString("lastEventId"));
            List<SseEvent> rest = c.take(3, WAIT);
            assertEquals(ids.subList(2, 5), rest.stream().map(SseEvent::id).toList());
        }
    }

    @Test
    void idOlderThanAgeBoundedHistoryGetsGapEvent() throws Exception {
        gw = TestGateway.start("history-max-age", "300ms");
        String old = gw.publishOk("aged", "0");
        gw.publishOk("aged", "1");
        Thread.sleep(500);
        String fresh = gw.publishOk("aged", "2");
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=aged"), old)) {
            SseEvent gap = c.next();
            assertEquals("gap", gap.event());
            assertEquals("history-trimmed", Json.field(gap.data(), "reason"));
            assertEquals(fresh, c.next().id());
        }
    }

    @Test
    void resumeWithinHistorySendsNoGap() throws Exception {
        gw = TestGateway.start("history-max-events", "3");
        gw.publishOk("h", "0");
        String kept = gw.publishOk("h", "1");
        String next = gw.publishOk("h", "2");
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=h"), kept)) {
            SseEvent e = c.next();
            assertEquals(next, e.id(), "no gap event: nothing after the id was trimmed");
        }
    }

    @Test
    void idFromAnEarlierLifeOfTheSequenceGetsEpochGapNeverWrongEvents() throws Exception {
        gw = TestGateway.start();
        String beforeRestart = gw.publishOk("r", "old life");
        gw.close();
        gw = TestGateway.start();
        String after1 = gw.publishOk("r", "new 1");
        String after2 = gw.publishOk("r", "new 2");
        assertTrue(!after1.split("-")[0].equals(beforeRestart.split("-")[0]), "a restart starts a new epoch");
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=r"), beforeRestart)) {
            SseEvent gap = c.next();
            assertEquals("gap", gap.event());
            assertEquals("epoch-changed", Json.field(gap.data(), "reason"));
            assertEquals(after1.split("-")[0] + "-0", gap.id(), "the gap moves Last-Event-ID to the new epoch's start");
            assertEquals(List.of(after1, after2), c.take(2, WAIT).stream().map(SseEvent::id).toList());
        }
    }

    @Test
    void idBeyondAnythingIssuedGetsUnknownIdGap() throws Exception {
        gw = TestGateway.start();
        String id = gw.publishOk("u", "1");
        String future = id.split("-")[0] + "-999999";
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=u"), future)) {
            SseEvent gap = c.next();
            assertEquals("unknown-id", Json.field(gap.data(), "reason"));
            assertEquals(id, c.next().id());
        }
    }

    @Test
    void malformedIdIsRejectedWith400BeforeStreaming() throws Exception {
        gw = TestGateway.start();
        for (String bad : List.of("nonsense", "abc-", "-5", "ABC-1", "a-1x", "a-99999999999999999999999")) {
            HttpResponse<String> r = gw.get("/events?topic=x&lastEventId=" + java.net.URLEncoder.encode(bad, "UTF-8"));
            assertEquals(400, r.statusCode(), bad);
            assertEquals("invalid-last-event-id", Json.field(r.body(), "error"), bad);
        }
    }
}
