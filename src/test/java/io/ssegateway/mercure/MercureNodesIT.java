package io.ssegateway.mercure;

import static io.ssegateway.testing.MercureHttp.enc;
import static io.ssegateway.testing.MercureTokens.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.MercureHttp;
import io.ssegateway.testing.MercureTokens;
import io.ssegateway.testing.NatsServer;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mercure across nodes on a real redis-server, then a real nats-server, of the test's own: an update published through node A
 * reaches a subscriber on node B, private updates only where the token allows, and a subscriber
 * resumes on node C, which never saw the update, from the publisher's own id.
 */
class MercureNodesIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PATH = "/.well-known/mercure";

    @TempDir
    Path dir;

    @Test
    void onRedis() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            publishOnOneNodeReceiveOnAnotherAndResumeOnAThirdFromThePublishersId("redis-url", redis.url());
        }
    }

    @Test
    void onNats() throws Exception {
        try (NatsServer nats = NatsServer.start()) {
            publishOnOneNodeReceiveOnAnotherAndResumeOnAThirdFromThePublishersId("nats-url", nats.url());
        }
    }

    private void publishOnOneNodeReceiveOnAnotherAndResumeOnAThirdFromThePublishersId(String broker, String url)
        throws Exception {
        MercureTokens tokens = MercureTokens.create(dir);
        String publisher = tokens.token(detail(List.of("publish"), "*"));
        String reader = tokens.token(detail(List.of("subscribe"), "urlpattern:https://example.com/books/:id"));
        HttpClient http = Clients.started(16);
        try (TestGateway a = TestGateway.start(tokens.settings(broker, url));
             TestGateway b = TestGateway.start(tokens.settings(broker, url))) {
            String query = "match_urlpattern=" + enc("https://example.com/books/:id");
            List<String> published = new ArrayList<>();
            try (SseClient onB = subscribe(http, b, query, Map.of("Authorization", "Bearer " + reader));
                 SseClient anonymousOnB = subscribe(http, b, query, Map.of())) {
                for (int i = 1; i <= 20; i++) {
                    List<String> fields = new ArrayList<>(List.of("topic", "https://example.com/books/" + i,
                        "id", "urn:book:" + i, "data", "v" + i));
                    if (i % 2 == 0) {
                        fields.addAll(List.of("private", "on"));
                    }
                    HttpResponse<String> r = publish(a, publisher, fields.toArray(String[]::new));
                    assertEquals(200, r.statusCode(), r.body());
                    assertEquals("urn:book:" + i, r.body());
                    published.add(r.body());
                }
                assertEquals(published, ids(onB.take(20, WAIT)), "every update, in order, on the other node");
                List<String> publicOnes = published.stream().filter(id -> Integer.parseInt(id.substring(9)) % 2 == 1).toList();
                assertEquals(publicOnes, ids(anonymousOnB.take(10, WAIT)), "only public updates without a token");
                anonymousOnB.assertNoEvent(Duration.ofMillis(500));
            }
            try (TestGateway c = TestGateway.start(tokens.settings(broker, url));
                 SseClient resumed = subscribe(http, c, query, Map.of("Authorization", "Bearer " + reader,
                     "Last-Event-ID", "urn:book:15"))) {
                assertEquals("urn:book:15", resumed.responseHeaders().get("Mercure-Last-Event-ID"));
                assertEquals(published.subList(15, 20), ids(resumed.take(5, WAIT)));
                resumed.assertNoEvent(Duration.ofMillis(300));
            }
        } finally {
            http.stop();
        }
    }

    /**
     * Subscription events go through the broker like updates: a subscription on node A is announced
     * to a watcher on node B, B's subscription API lists it (Redis keeps every node's subscriptions),
     * its end is announced and it leaves the list; presence keys lost in Redis are written again by
     * their node; a node killed with SIGKILL, which says no goodbye, drops out of the list within the
     * presence TTL.
     */
    @Test
    void subscriptionEventsAndTheApiSpanNodesOnRedis() throws Exception {
        MercureTokens tokens = MercureTokens.create(dir);
        String pattern = "/.well-known/mercure/subscriptions/:type/:match/:subscriber";
        String watcher = tokens.token(detail(List.of("subscribe"), "*"));
        HttpClient http = Clients.started(16);
        try (RedisServer redis = RedisServer.start();
             TestGateway a = TestGateway.start(tokens.settings("redis-url", redis.url(), "mercure-subscriptions", "true"));
             TestGateway b = TestGateway.start(tokens.settings("redis-url", redis.url(), "mercure-subscriptions", "true"));
             SseClient watching = subscribe(http, b, "match_urlpattern=" + enc(pattern),
                 Map.of("Authorization", "Bearer " + watcher))) {
            String topic;
            try (SseClient onA = subscribe(http, a, "match=" + enc("https://example.com/on-a"), Map.of())) {
                String created = eventAbout(watching, "https://example.com/on-a", true);
                topic = io.ssegateway.testing.Json.field(created, "id");
                HttpResponse<String> listed = get(b, "/.well-known/mercure/subscriptions", watcher);
                assertEquals(200, listed.statusCode(), listed.body());
                org.junit.jupiter.api.Assertions.assertTrue(listed.body().contains(topic), "A's subscription, listed by B: "
                    + listed.body());
                // Redis lost the presence keys (a node cut off past the TTL is cleaned up this way): A writes its own again.
                try (var jedis = redis.client()) {
                    jedis.keys("sse:presence:*").forEach(jedis::del);
                }
                awaitListed(b, watcher, topic, true);
            }
            eventAbout(watching, "https://example.com/on-a", false);
            awaitListed(b, watcher, topic, false);

            GatewayProcess killed = GatewayProcess.start("--mercure", "true", "--mercure-subscriptions", "true",
                "--mercure-url", MercureTokens.HUB, "--mercure-issuers", MercureTokens.ISSUER,
                "--auth-hs256-secret-file", tokens.secretFile().toString(), "--redis-url", redis.url());
            try (SseClient onKilled = SseClient.connect(http, killed.url(PATH + "?match=" + enc("https://example.com/on-k")))) {
                onKilled.awaitFirstByte(WAIT);
                eventAbout(watching, "https://example.com/on-k", true);
                String killedTopic = topicOf(get(b, "/.well-known/mercure/subscriptions", watcher).body(), "on-k");
                long t0 = System.nanoTime();
                killed.process().destroyForcibly().waitFor();
                awaitListed(b, watcher, killedTopic, false);
                System.out.printf("a SIGKILLed node's subscription left the list after %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            } finally {
                killed.close();
            }
        } finally {
            http.stop();
        }
    }

    private static String eventAbout(SseClient watcher, String match, boolean active) throws Exception {
        while (true) {
            SseEvent e = watcher.next(WAIT, "subscription event of " + match);
            var doc = io.ssegateway.testing.Json.parse(e.data());
            if (doc.getString("match").equals(match) && doc.getBoolean("active") == active) {
                return e.data();
            }
        }
    }

    private static String topicOf(String listing, String marker) {
        for (var v : io.ssegateway.testing.Json.parse(listing).getJsonArray("subscriptions")) {
            String id = v.asJsonObject().getString("id");
            if (id.contains(marker)) {
                return id;
            }
        }
        throw new AssertionError("no subscription with " + marker + " in " + listing);
    }

    /** Waits (up to the presence TTL and some) until {@code topic} is listed or not. */
    private static void awaitListed(TestGateway gw, String token, String topic, boolean listed) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (get(gw, "/.well-known/mercure/subscriptions", token).body().contains(topic) != listed) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(topic + (listed ? " never listed" : " still listed"));
            }
            Thread.sleep(200);
        }
    }

    private static HttpResponse<String> get(TestGateway gw, String path, String token) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gw.url(path)))
            .header("Authorization", "Bearer " + token).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> publish(TestGateway gw, String token, String... fields) throws Exception {
        return MercureHttp.publish(gw.url(PATH), token, fields);
    }

    private static SseClient subscribe(HttpClient http, TestGateway gw, String query, Map<String, String> headers)
        throws Exception {
        SseClient s = SseClient.connect(http, gw.url(PATH + "?" + query), headers);
        assertEquals(200, s.response().getStatus());
        s.awaitFirstByte(WAIT);
        return s;
    }



    private static List<String> ids(List<SseEvent> events) {
        return events.stream().map(SseEvent::id).toList();
    }
}
