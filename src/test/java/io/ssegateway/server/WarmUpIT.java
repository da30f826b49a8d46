package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.bench.PrometheusText;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * {@code --warm-up true}: the jar runs its stream paths on a throwaway node before it listens, and
 * none of it reaches the node that then serves: not its streams, metrics, broker or log.
 */
class WarmUpIT {
    private static final Pattern DONE = Pattern.compile("warm-up: done in [0-9.]+ s; ([0-9,]+) of ([0-9,]+) streams got every event");
    private final HttpClient jdk = HttpClient.newHttpClient();

    @Test
    void warmsUpOnAThrowawayNodeBeforeListeningThenServesAsANewNode() throws Exception {
        org.eclipse.jetty.client.HttpClient jetty = Clients.started(8);
        try (RedisServer redis = RedisServer.start();
             GatewayProcess gw = GatewayProcess.start("--warm-up", "true", "--broker", "redis", "--redis-url", redis.url())) {
            String log = gw.output();
            Matcher done = DONE.matcher(log);
            assertTrue(done.find(), log);
            long asked = Long.parseLong(done.group(2).replace(",", ""));
            // -Xmx256m (GatewayProcess): 4,096 HTTP/2 streams, then three rounds of HTTP/1.1 streams.
            assertTrue(asked > 4_096, log);
            assertEquals(done.group(2), done.group(1), "every warm-up stream got every event: " + log);
            assertTrue(done.start() < log.indexOf("listening on port"), "warmed up before listening: " + log);
            assertEquals(1, count(log, "sse-gateway started"), "the throwaway node's own lines are held back: " + log);
            assertEquals(1, count(log, "no auth key configured"), log);

            assertEquals(0, Json.parse(get(gw, "/health")).getInt("streams"));
            PrometheusText metrics = PrometheusText.parse(get(gw, "/metrics"));
            assertEquals(0, metrics.value("sse_streams_opened_total"), "no warm-up stream counted here");
            assertEquals(0, metrics.value("sse_events_published_total"), "no warm-up event counted here");
            // The throwaway node had a broker of its own in memory: the node's Redis holds nothing of it,
            // until this node publishes to the same topic.
            assertEquals(Set.of(), keysNaming(redis, "warm-up"));
            SseClient stream = SseClient.connect(jetty, gw.url("/events?topic=warm-up"));
            stream.awaitFirstByte(Duration.ofSeconds(10));
            HttpResponse<String> published = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=warm-up")))
                .POST(HttpRequest.BodyPublishers.ofString("after")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, published.statusCode(), published.body());
            assertEquals("after", stream.next(Duration.ofSeconds(10), "the one event of this node").data());
            stream.close();
            assertTrue(!keysNaming(redis, "warm-up").isEmpty(), "this node's own publish is in Redis");
        } finally {
            jetty.stop();
        }
    }

    private String get(GatewayProcess gw, String path) throws Exception {
        return jdk.send(HttpRequest.newBuilder(URI.create(gw.url(path))).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Set<String> keysNaming(RedisServer redis, String topic) {
        try (Jedis j = redis.client()) {
            return j.keys("*" + topic + "*");
        }
    }

    private static int count(String text, String needle) {
        return (int) List.of(text.split(Pattern.quote(needle), -1)).stream().count() - 1;
    }
}
