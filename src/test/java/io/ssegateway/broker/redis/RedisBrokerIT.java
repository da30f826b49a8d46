package io.ssegateway.broker.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.Metrics;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.resps.StreamEntry;

/** The Redis broker with a real redis-server and several gateway nodes in this JVM. */
class RedisBrokerIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private RedisServer redis;
    private HttpClient http;
    private final List<TestGateway> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        http = Clients.started(64);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        for (TestGateway node : nodes) {
            node.close();
        }
        redis.close();
    }

    private TestGateway node(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("redis-url", redis.url(), "heartbeat", "1s", "idle-timeout", "10s"));
        args.addAll(List.of(extra));
        TestGateway node = TestGateway.start(args.toArray(String[]::new));
        nodes.add(node);
        awaitReady(node);
        return node;
    }

    private static void awaitReady(TestGateway node) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (node.get("/ready").statusCode() == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("node not ready: " + node.get("/ready").body());
    }

    @Test
    void luaAndJavaEncodeByteIdenticalFrames() throws Exception {
        TestGateway a = node();
        String data = "line one\r\nline two\rthree\nfour\n\nzwölf €";
        HttpResponse<String> r = a.post("/publish?topic=enc&event=t.x", data);
        String id = Json.field(r.body(), "id");
        try (Jedis j = redis.client()) {
            List<StreamEntry> entries = j.xrange("sse:history:enc", (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(1, entries.size());
            assertEquals(id.substring(id.indexOf('-') + 1) + "-0", entries.get(0).getID().toString());
            byte[] stored = entries.get(0).getFields().get("f").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertArrayEquals(FrameEncoder.event(EventId.parse(id), "t.x", data), stored);
        }
    }

    @Test
    void publishOnOneNodeReachesClientsOnEveryNodeExactlyOnceInOrder() throws Exception {
        TestGateway a = node();
        TestGateway b = node();
        TestGateway c = node();
        List<SseClient> clients = new ArrayList<>();
        for (TestGateway n : List.of(b, c, b, c)) {
            SseClient client = SseClient.connect(http, n.url("/events?topic=fan"));
            client.nextComment(WAIT);
            clients.add(client);
        }
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            published.add(a.publishOk("fan", Integer.toString(i)));
        }
        for (SseClient client : clients) {
            assertEquals(published, client.take(published.size(), WAIT).stream().map(SseEvent::id).toList());
            client.assertNoEvent(Duration.ofMillis(200));
            client.close();
        }
    }

    /**
     * A replay longer than the stream's queue is read from Redis page by page; with several topics
     * each page is cut where every topic is complete (replay.lua's horizon), so nothing is skipped
     * or repeated, and live events published while it pages follow in order.
     */
    @Test
    void aLongMultiTopicReplayIsPagedInOrderWithoutLossOrDuplicate() throws Exception {
        TestGateway a = node("queue-max-bytes", "4096");
        String first = null;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            // Uneven topics and sizes, so page cuts fall at different places in each topic.
            String topic = i % 3 == 0 ? "pa" : i % 3 == 1 ? "pb" : "pc";
            String id = a.publishOk(topic, "e" + i + " " + "x".repeat(100 + (i * 37) % 400));
            first = first == null ? id : first;
            if (!topic.equals("pc")) {
                expected.add(id);
            }
        }
        String epochZero = first.substring(0, first.indexOf('-')) + "-0";
        try (SseClient c = SseClient.connect(http, a.url("/events?topic=pa&topic=pb"), epochZero)) {
            List<String> got = new ArrayList<>(c.take(expected.size(), WAIT).stream().map(SseEvent::id).toList());
            assertEquals(expected, got, "every event of both topics once, in id order, across pages");
            String live = a.publishOk("pb", "live");
            assertEquals(live, c.next().id());
        }
        assertTrue(Metrics.value(a, "sse_events_replayed_total") >= expected.size());
    }

    @Test
    void clientResumesOnAnotherNodeAcrossTopics() throws Exception {
        TestGateway a = node();
        TestGateway b = node();
        String seen;
        try (SseClient onA = SseClient.connect(http, a.url("/events?topic=x&topic=y"))) {
            onA.nextComment(WAIT);
            a.publishOk("x", "1");
            seen = a.publishOk("y", "2");
            assertEquals(2, onA.take(2, WAIT).size());
        }
        List<String> missed = List.of(b.publishOk("x", "3"), a.publishOk("y", "4"), b.publishOk("other", "no"),
            a.publishOk("x", "5"));
        try (SseClient onB = SseClient.connect(http, b.url("/events?topic=x&topic=y"), seen)) {
            List<String> got = onB.take(3, WAIT).stream().map(SseEvent::id).toList();
            assertEquals(List.of(missed.get(0), missed.get(1), missed.get(3)), got);
            String live = a.publishOk("y", "6");
            assertEquals(live, onB.next().id());
        }
    }

    @Test
    void channelsAreSubscribedWhileInterestLastsAndUnsubscribedAfter() throws Exception {
        TestGateway a = node();
        assertEquals(Set.of(), channels());
        SseClient one = SseClient.connect(http, a.url("/events?topic=p&topic=q"));
        one.nextComment(WAIT);
        SseClient two = SseClient.connect(http, a.url("/events?topic=q"));
        two.nextComment(WAIT);
        assertEquals(Set.of("sse:live:p", "sse:live:q"), channels());
        one.close();
        awaitChannels(Set.of("sse:live:q"));
        two.close();
        awaitChannels(Set.of());
    }

    @Test
    void subscriberConnectionKilledWhileAnotherNodePublishesLosesNothing() throws Exception {
        TestGateway a = node();
        TestGateway b = node();
        SseClient onB = SseClient.connect(http, b.url("/events?topic=k"));
        onB.nextComment(WAIT);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<String>> publisher = pool.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 600; i++) {
                    ids.add(a.publishOk("k", Integer.toString(i)));
                    if (i % 150 == 75) {
                        try (Jedis j = redis.client()) {
                            j.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
                        }
                    }
                }
                return ids;
            });
            List<String> published = publisher.get();
            List<String> got = onB.take(published.size(), Duration.ofSeconds(30)).stream().map(SseEvent::id).toList();
            assertEquals(published, got, "no gap and no duplicate across subscriber reconnects");
            onB.assertNoEvent(Duration.ofMillis(300));
            assertTrue(Metrics.of(b).has("sse_broker_reconnects_total"));
        } finally {
            pool.shutdownNow();
            onB.close();
        }
    }

    @Test
    void redisDownMeans503ForPublishWhileStreamsStayOpenAndDeliveryResumesAfter() throws Exception {
        TestGateway a = node();
        SseClient stream = SseClient.connect(http, a.url("/events?topic=down"));
        stream.nextComment(WAIT);
        a.publishOk("down", "before");
        assertEquals("before", stream.next().data());

        redis.stopProcess();
        // The pooled connection Redis closed: the script may have been written before the end of
        // stream was seen, so the gateway cannot know and says so. Once connecting is refused, it knows.
        HttpResponse<String> unknown = a.publish("down", "while down");
        assertEquals(503, unknown.statusCode());
        assertTrue(Set.of("broker-unavailable", "broker-outcome-unknown").contains(Json.field(unknown.body(), "error")),
            unknown.body());
        HttpResponse<String> refused = a.publish("down", "while down");
        assertEquals(503, refused.statusCode());
        assertEquals("broker-unavailable", Json.field(refused.body(), "error"), "refused: certainly not stored");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (a.get("/ready").statusCode() != 503 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(503, a.get("/ready").statusCode(), "readiness reports the broker");
        assertEquals("heartbeat", stream.nextComment(Duration.ofSeconds(3)), "the stream stays open");

        redis.startProcess();
        awaitReady(a);
        String after = a.publishOk("down", "after");
        SseEvent next = stream.next(WAIT, "gap or event after recovery");
        if ("gap".equals(next.event())) {
            // Redis restarted without persistence: a new epoch, announced, never silent.
            assertEquals("epoch-changed", Json.field(next.data(), "reason"));
            next = stream.next(WAIT, "the event after the gap");
        }
        assertEquals(after, next.id());
        assertEquals("after", next.data());
        stream.close();
    }

    @Test
    void flushedRedisGivesGapEventNeverEventsWithBiggerNumbers() throws Exception {
        TestGateway a = node();
        TestGateway b = node();
        SseClient live = SseClient.connect(http, b.url("/events?topic=f"));
        live.nextComment(WAIT);
        String old = a.publishOk("f", "old life");
        assertEquals(old, live.next().id());
        try (Jedis j = redis.client()) {
            j.flushAll();
        }
        String fresh = a.publishOk("f", "new life");
        assertTrue(!EventId.parse(fresh).epoch().equals(EventId.parse(old).epoch()), "a new epoch after the flush");

        SseEvent gap = live.next(WAIT, "live gap");
        assertEquals("gap", gap.event());
        assertEquals("epoch-changed", Json.field(gap.data(), "reason"));
        assertEquals(fresh, live.next().id());
        live.close();

        try (SseClient resumed = SseClient.connect(http, b.url("/events?topic=f"), old)) {
            SseEvent g = resumed.next();
            assertEquals("gap", g.event());
            assertEquals("epoch-changed", Json.field(g.data(), "reason"));
            assertEquals(EventId.parse(fresh).epoch() + "-0", g.id());
            assertEquals(fresh, resumed.next().id());
        }
    }

    @Test
    void historyBoundedByCountSignalsTheGapOnResume() throws Exception {
        TestGateway a = node("history-max-events", "3");
        String old = a.publishOk("h", "0");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(a.publishOk("h", Integer.toString(i)));
        }
        try (SseClient c = SseClient.connect(http, a.url("/events?topic=h"), old)) {
            SseEvent gap = c.next();
            assertEquals("history-trimmed", Json.field(gap.data(), "reason"));
            assertEquals(ids.subList(2, 5), c.take(3, WAIT).stream().map(SseEvent::id).toList());
        }
        try (Jedis j = redis.client()) {
            assertEquals(3, j.xlen("sse:history:h"));
        }
    }

    @Test
    void javaPublisherApiPublishesThroughTheSameScript() throws Exception {
        TestGateway a = node();
        try (SseClient c = SseClient.connect(http, a.url("/events?topic=api"));
             RedisPublisher publisher = RedisPublisher.connect(URI.create(redis.url()))) {
            c.nextComment(WAIT);
            RedisPublisher.Published p = publisher.publish("api", "note", "from a JVM service");
            SseEvent e = c.next();
            assertEquals(p.id().toString(), e.id());
            assertEquals("note", e.event());
            assertEquals("from a JVM service", e.data());
        }
    }

    private Set<String> channels() {
        try (Jedis j = redis.client()) {
            return new TreeSet<>(j.pubsubChannels("sse:live:*"));
        }
    }

    private void awaitChannels(Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!channels().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, channels());
    }

    /**
     * Edge issue, point 9: Redis stalls (SIGSTOP). Readiness turns 503 within 3 s; a publish times
     * out with broker-outcome-unknown ("may have been stored"); after SIGCONT Redis runs it, and the
     * publisher's retry with the same Idempotency-Key is answered with the same id: every client
     * receives the event exactly once.
     */
    @Test
    void aStalledRedisTurnsReadinessOffWithin3sAndAnIdempotentRetryIsDeliveredOnce() throws Exception {
        TestGateway a = node();
        HttpClient http = Clients.started(4);
        try (SseClient sub = SseClient.connect(http, a.url("/events?topic=idem"))) {
            sub.nextComment(Duration.ofSeconds(5));
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest publish = java.net.http.HttpRequest.newBuilder(java.net.URI.create(a.url("/publish?topic=idem")))
                .header("Idempotency-Key", "order-42").POST(java.net.http.HttpRequest.BodyPublishers.ofString("once")).build();
            a.publishOk("warm", "a running node has pooled connections");
            redis.signal("STOP");
            long stopped = System.nanoTime();
            try {
                while (a.get("/ready").statusCode() == 200 && System.nanoTime() - stopped < 10_000_000_000L) {
                    Thread.sleep(50);
                }
                long readyOffMs = (System.nanoTime() - stopped) / 1_000_000;
                System.out.println("ready turned 503 " + readyOffMs + " ms after SIGSTOP");
                assertTrue(readyOffMs <= 3000, "ready 503 after " + readyOffMs + " ms");
                java.net.http.HttpResponse<String> timedOut = jdk.send(publish, java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(503, timedOut.statusCode(), timedOut.body());
                assertEquals("broker-outcome-unknown", Json.field(timedOut.body(), "error"), timedOut.body());
                assertTrue(timedOut.body().contains("Idempotency-Key"), timedOut.body());
            } finally {
                redis.signal("CONT");
            }
            SseEvent delivered = sub.next(Duration.ofSeconds(10), "the stalled publish ran after SIGCONT");
            assertEquals("once", delivered.data());
            java.net.http.HttpResponse<String> retry = jdk.send(publish, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals(delivered.id(), Json.field(retry.body(), "id"), "the retry names the event already published");
            sub.assertNoEvent(Duration.ofMillis(500));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (a.get("/ready").statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(200, a.get("/ready").statusCode(), "ready again once Redis answers");
        } finally {
            http.stop();
            a.close();
        }
    }

    /**
     * Edge issue, point 11: history keys expire with history-max-age; the counter and epoch do not.
     * 20,000 one-off topics (the 500,000 figure is in the note, with its command) leave Redis
     * memory near where it started, and a resume from before them still gets its gap.
     */
    @Test
    void historyOfOneOffTopicsExpiresWithItsMaxAge() throws Exception {
        TestGateway a = node("history-max-age", "2s");
        try (Jedis j = redis.client()) {
            a.publishOk("warmup", "x");
            long before = usedMemory(j);
            String firstId = null;
            for (int i = 0; i < 20_000; i++) {
                String id = a.publishOk("oneoff-" + i, "payload " + i);
                if (firstId == null) {
                    firstId = id;
                }
            }
            long peak = usedMemory(j);
            Thread.sleep(3_000);
            // Redis expires keys lazily and in an active cycle; a SCAN touches each key once.
            for (String cursor = "0";;) {
                var page = j.scan(cursor);
                cursor = page.getCursor();
                if ("0".equals(cursor)) {
                    break;
                }
            }
            long after = usedMemory(j);
            System.out.println("redis used_memory: before " + before + ", after 20,000 one-off topics " + peak
                + ", 3 s later (max-age 2 s) " + after);
            assertTrue(j.keys("sse:history:*").isEmpty(), "every history key expired");
            assertTrue(j.exists("sse:seq") && j.exists("sse:epoch"), "counter and epoch never expire");
            assertTrue(after - before < (peak - before) / 10, "memory back near its start: " + before + " -> " + after);
            HttpClient http = Clients.started(2);
            try (SseClient resumed = SseClient.connect(http, a.url("/events?topic=oneoff-5"), firstId)) {
                SseEvent gap = resumed.next(Duration.ofSeconds(5), "gap for the expired history");
                assertEquals("gap", gap.event());
                assertTrue(gap.data().contains("history-trimmed"), gap.data());
            } finally {
                http.stop();
            }
        } finally {
            a.close();
        }
    }

    private static long usedMemory(Jedis j) {
        for (String line : j.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new AssertionError("no used_memory");
    }
}
