package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.bench.PrometheusText;
import io.ssegateway.testing.AwaitHttp;
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
 * {@code --warm-up true}: the jar runs its stream paths on a throwaway node while it reports not
 * ready, none of it reaches the node: not its streams, metrics, broker or log; and clients that do
 * not wait for readiness (a reconnect storm) cut it short and are served at once.
 */
class WarmUpIT {
    private static final Pattern DONE = Pattern.compile("warm-up: done in [0-9.]+ s; ([0-9,]+) of ([0-9,]+) streams got every event");
    private final HttpClient jdk = HttpClient.newHttpClient();

    @Test
    void warmsUpOnAThrowawayNodeBeforeListeningThenServesAsANewNode() throws Exception {
        org.eclipse.jetty.client.HttpClient jetty = Clients.started(8);
        try (RedisServer redis = RedisServer.start();
             GatewayProcess gw = GatewayProcess.start("--warm-up", "true", "--broker", "redis", "--redis-url", redis.url())) {
            HttpResponse<String> warming = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(503, warming.statusCode(), "not ready while warming up: " + warming.body());
            assertTrue(Json.parse(warming.body()).getBoolean("warmingUp"), warming.body());
            AwaitHttp.status("GET", gw.url("/ready"), 200, Duration.ofSeconds(60));
            String log = gw.output();
            Matcher done = DONE.matcher(log);
            assertTrue(done.find(), log);
            long asked = Long.parseLong(done.group(2).replace(",", ""));
            // -Xmx256m (GatewayProcess): 4,096 HTTP/2 streams, then sixteen rounds of HTTP/1.1 streams.
            assertTrue(asked > 4_096, log);
            assertEquals(done.group(2), done.group(1), "every warm-up stream got every event: " + log);
            assertTrue(log.indexOf("listening on port") < done.start(), "the node listened while it warmed up: " + log);
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

    @Test
    void aClientThatDoesNotWaitForReadinessCutsTheWarmUpShortAndIsServedAtOnce() throws Exception {
        org.eclipse.jetty.client.HttpClient jetty = Clients.started(8);
        try (GatewayProcess gw = GatewayProcess.start("--warm-up", "true")) {
            SseClient stream = SseClient.connect(jetty, gw.url("/events?topic=storm"));
            stream.awaitFirstByte(Duration.ofSeconds(10));
            AwaitHttp.status("GET", gw.url("/ready"), 200, Duration.ofSeconds(20));
            HttpResponse<String> published = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=storm")))
                .POST(HttpRequest.BodyPublishers.ofString("served")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, published.statusCode(), published.body());
            assertEquals("served", stream.next(Duration.ofSeconds(10), "the event").data());
            stream.close();
            String log = gw.output();
            assertTrue(log.contains("warm-up: stopped after"), log);
            assertTrue(!log.contains("warm-up: done"), log);
            // The cut-short warm-up leaves no client thread or throwaway node behind.
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            List<String> left = threads(gw.pid());
            while (System.nanoTime() < deadline && left.stream().anyMatch(WarmUpIT::warmUpThread)) {
                Thread.sleep(200);
                left = threads(gw.pid());
            }
            assertEquals(List.of(), left.stream().filter(WarmUpIT::warmUpThread).toList(), "threads: " + left);
        } finally {
            jetty.stop();
        }
    }

    private static boolean warmUpThread(String name) {
        return name.startsWith("load-") || name.startsWith("sse-warm-up");
    }

    /** The names of the process's threads, as the kernel knows them (at most 15 characters). */
    private static List<String> threads(long pid) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                try {
                    names.add(java.nio.file.Files.readString(task.resolve("comm")).strip());
                } catch (java.io.IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return names;
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
