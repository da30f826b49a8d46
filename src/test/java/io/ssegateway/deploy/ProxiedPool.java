package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.auth.Tokens;
import io.ssegateway.testing.BusyAnswers;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.MercureTokens;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;

/**
 * What any proxy in front of a pool of nodes must do for streams, checked the same way for the
 * shipped nginx and HAProxy configurations: clients of a stopped node move without loss, a
 * browser refused by every node gets 200 and a retry, internal paths stay internal.
 */
final class ProxiedPool {
    private ProxiedPool() {
    }

    /**
     * A node of the pool: Redis-backed, HS256 key in {@code secret}, short retries, at most
     * {@code maxStreams} streams; returned once it is ready.
     */
    static TestGateway node(RedisServer redis, Path secret, String heartbeat, String idleTimeout, int maxStreams)
        throws Exception {
        TestGateway node = TestGateway.start("redis-url", redis.url(), "heartbeat", heartbeat, "idle-timeout", idleTimeout,
            "retry", "200ms", "shutdown-retry-jitter", "200ms", "max-streams", Integer.toString(maxStreams),
            "auth-hs256-secret-file", secret.toString(),
            "mercure", "true", "mercure-url", MercureTokens.HUB, "mercure-issuers", MercureTokens.ISSUER);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (node.get("/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return node;
    }

    /** Waits up to 10 s until {@code url} answers 200 (the proxy is listening and reaches a node). */
    static void awaitAnswering(java.net.http.HttpClient jdk, String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (jdk.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
    }

    /** Publishes {@code data} to {@code publishUrl} with a publisher token; returns the event's id. */
    static String publish(java.net.http.HttpClient jdk, String publishUrl, String data) throws Exception {
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(publishUrl))
            .header("Authorization", "Bearer " + Tokens.hs256(List.of("**"), List.of(), Duration.ofMinutes(5)))
            .POST(HttpRequest.BodyPublishers.ofString(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.field(r.body(), "id");
    }

    /** Publishes {@code data} through the proxy and returns the event's id. */
    @FunctionalInterface
    interface Publisher {
        String publish(String data) throws Exception;
    }

    /**
     * Six clients through the proxy, spread over both nodes; {@code stopped} drains while events are
     * published; every client, reconnecting with its last id as EventSource does, gets every event once, in order.
     */
    static void assertClientsMoveWithoutLoss(HttpClient http, String eventsUrl, TestGateway stopped, TestGateway other,
                                             Publisher publisher) throws Exception {
        int clients = 6;
        List<SseClient> current = new ArrayList<>();
        List<List<String>> received = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            SseClient c = SseClient.connect(http, eventsUrl);
            c.nextComment(Duration.ofSeconds(5));
            current.add(c);
            received.add(new ArrayList<>());
        }
        assertTrue(stopped.gateway().streamNode().streamCount() > 0 && other.gateway().streamNode().streamCount() > 0,
            "the proxy spread the streams over both nodes");
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            published.add(publisher.publish("before " + i));
        }
        stopped.stop(); // drains: server-shutdown, then its streams end
        for (int i = 0; i < 30; i++) {
            published.add(publisher.publish("after " + i));
        }
        String last = published.get(published.size() - 1);
        for (int i = 0; i < clients; i++) {
            List<String> got = received.get(i);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((got.isEmpty() || !got.get(got.size() - 1).equals(last)) && System.nanoTime() < deadline) {
                SseClient c = current.get(i);
                for (SseEvent e : c.drain()) {
                    if (e.event() == null) {
                        got.add(e.id());
                    }
                }
                if (c.done().isDone() && c.pendingEvents() == 0) {
                    // What EventSource does: reconnect with the last id (the proxy picks the live node).
                    current.set(i, SseClient.connect(http, eventsUrl, got.isEmpty() ? null : got.get(got.size() - 1)));
                }
                Thread.sleep(20);
            }
            assertEquals(published, got, "client " + i + " received every event once, in order");
            current.get(i).close();
        }
    }

    /**
     * Fills both nodes through the proxy (a full node's refusal must move each stream to the other),
     * then checks the answer the next browser gets when every node is full.
     */
    static void assertFullNodesMoveStreamsThenBusy(HttpClient http, java.net.http.HttpClient jdk, String eventsUrl,
                                                  TestGateway a, TestGateway b, int maxPerNode, long minRetry, long maxRetry)
        throws Exception {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * maxPerNode; i++) {
                SseClient c = SseClient.connect(http, eventsUrl);
                assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(5)), "stream " + i + " found a node with room");
                open.add(c);
            }
            assertEquals(maxPerNode, a.gateway().streamNode().streamCount());
            assertEquals(maxPerNode, b.gateway().streamNode().streamCount());
            assertBusyAnswer(jdk, eventsUrl, minRetry, maxRetry);
        } finally {
            open.forEach(SseClient::close);
        }
    }

    /** The answer a browser gets when no node takes its stream: 200, one jittered retry in [min, max]. */
    static void assertBusyAnswer(java.net.http.HttpClient jdk, String eventsUrl, long minRetry, long maxRetry) throws Exception {
        // A timeout: a stream that reached a node instead would never end.
        HttpResponse<String> busy = jdk.send(HttpRequest.newBuilder(URI.create(eventsUrl)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        long retry = BusyAnswers.assertBusy(busy, "all-nodes-busy");
        assertTrue(retry >= minRetry && retry <= maxRetry, "jittered retry: " + retry);
    }

    /**
     * The shipped proxy configuration opens the Mercure hub to the world (a client on 127.0.0.2):
     * a subscription streams through it unbuffered, a publication with a token is answered with its
     * id and reaches the subscriber, one without gets the gateway's 401 (not a stream's retry), and
     * the protected resource metadata answers.
     */
    static void assertMercureOpenToTheWorld(String base) throws Exception {
        String token = MercureTokens.of(Tokens.SECRET).token(MercureTokens.detail(List.of("publish"), "*"));
        Process subscriber = new ProcessBuilder("curl", "-s", "-N", "--max-time", "4", "--interface", "127.0.0.2",
            base + "/.well-known/mercure?match=urn%3Aproxied").redirectErrorStream(true).start();
        Thread.sleep(800);
        String[] published = curlWorld(base + "/.well-known/mercure", "-H", "Authorization: Bearer " + token,
            "-d", "topic=urn:proxied", "-d", "data=through the proxy", "-d", "id=urn:proxied:1");
        assertEquals("200", published[1], published[0]);
        assertEquals("urn:proxied:1", published[0]);
        String[] anonymous = curlWorld(base + "/.well-known/mercure", "-d", "topic=urn:proxied", "-d", "data=x");
        assertEquals("401", anonymous[1], anonymous[0]);
        assertEquals("missing-token", Json.field(anonymous[0], "error"));
        assertEquals("200", curlWorld(base + "/.well-known/oauth-protected-resource/.well-known/mercure")[1]);
        String stream = new String(subscriber.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        subscriber.waitFor();
        assertTrue(stream.contains("id: urn:proxied:1\ndata: through the proxy\n"), stream);
    }

    /** curl from 127.0.0.2 (not loopback's usual address: the world, for the proxies' allow-lists): body and status. */
    private static String[] curlWorld(String url, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "--interface", "127.0.0.2", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(0, nl), out.substring(nl + 1)};
    }

    /**
     * From 127.0.0.2 (standing for the world), the internal paths answer a JSON 403 and streams of
     * {@code topic} open.
     */
    static void assertInternalPathsClosedToTheWorld(String base, String topic) throws Exception {
        for (String path : List.of("/publish?topic=" + topic, "/metrics", "/", "/ready")) {
            Process p = new ProcessBuilder("curl", "-s", "--interface", "127.0.0.2", "-w", "\n%{http_code}", base + path)
                .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            int nl = out.lastIndexOf('\n');
            assertEquals("403", out.substring(nl + 1), path + ": " + out);
            assertEquals("forbidden", Json.field(out.substring(0, nl), "error"), path);
        }
        Process p = new ProcessBuilder("curl", "-s", "-N", "--max-time", "1", "--interface", "127.0.0.2",
            base + "/events?topic=" + topic).redirectErrorStream(true).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith(": sse-gateway"), "streams are for the world: " + body);
    }
}
