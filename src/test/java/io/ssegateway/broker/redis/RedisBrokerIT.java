package io.ssegateway.broker.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.broker.BrokerFixture;
import io.ssegateway.broker.BrokerKit;
import io.ssegateway.broker.RelayedBroker;
import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The Redis broker: the broker kit ({@link BrokerKit}) against a real redis-server of our own,
 * and what is Redis's alone (the Lua scripts, channels, key expiry).
 */
class RedisBrokerIT extends BrokerKit {
    private RedisServer redis;

    @Override
    protected BrokerFixture startBroker() throws Exception {
        redis = RedisServer.start();
        return new RelayedBroker(redis) {
            @Override
            public List<String> settings() {
                return List.of("redis-url", "redis://127.0.0.1:" + relayPort());
            }

            @Override
            public Map<String, String> environment() {
                return Map.of("SSE_REDIS_URL", "redis://127.0.0.1:" + relayPort());
            }

            @Override
            public void loseEverything() {
                try (Jedis j = redis.client()) {
                    j.flushAll();
                }
            }
        };
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
