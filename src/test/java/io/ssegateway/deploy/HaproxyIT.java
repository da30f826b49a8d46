package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.auth.Tokens;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped HAProxy configuration, run by Debian's HAProxy on loopback in front of two gateway
 * nodes that share a test Redis, over HTTP/1.1 and with {@code proto h2} to the nodes. Only
 * addresses, the allow-list path and (deliberately short) timeouts are substituted.
 */
class HaproxyIT {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final int MAX_STREAMS_PER_NODE = 8;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Path secret;
    private RedisServer redis;
    private TestGateway nodeA;
    private TestGateway nodeB;
    private Process haproxy;
    private int port;
    private HttpClient http;
    private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        assertTrue(Files.isExecutable(HAPROXY), "HAProxy tests need haproxy (.ci/run installs it)");
        redis = RedisServer.start();
        secret = Files.writeString(Files.createTempFile(Path.of("target"), "secret", ".txt"), Tokens.SECRET);
        http = Clients.started(64);
    }

    /** Starts both nodes and HAProxy with the shipped file; {@code h2} adds {@code proto h2} to the stream backend. */
    private void startPool(boolean h2, String heartbeat) throws Exception {
        nodeA = node(heartbeat);
        nodeB = node(heartbeat);
        port = GatewayProcess.freePort();
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "haproxy-");
        String shipped = Files.readString(Path.of("haproxy/sse-gateway.cfg"));
        String[] sections = shipped.split("\nbackend sse_internal", 2);
        String events = sections[0]
            .replace("server node1 127.0.0.1:8081 check", "server node1 127.0.0.1:" + nodeA.port() + " check" + (h2 ? " proto h2" : ""))
            .replace("server node2 127.0.0.1:8082 check", "server node2 127.0.0.1:" + nodeB.port() + " check" + (h2 ? " proto h2" : ""));
        String internal = sections[1]
            .replace("127.0.0.1:8081", "127.0.0.1:" + nodeA.port())
            .replace("127.0.0.1:8082", "127.0.0.1:" + nodeB.port());
        String config = (events + "\nbackend sse_internal" + internal)
            .replace("bind :80", "bind 127.0.0.1:" + port)
            .replace("maxconn 200000", "maxconn 4000") // the test machine allows 20,000 open files
            // Short proxy timeouts only with 1 s heartbeats: the test that shows heartbeats keep streams alive.
            .replace("timeout client 60s", heartbeat.equals("1s") ? "timeout client 3s" : "timeout client 60s")
            .replace("timeout server 60s", heartbeat.equals("1s") ? "timeout server 3s" : "timeout server 60s")
            .replace("log stdout format raw local0 notice", "log stderr format raw local0 info")
            .replace("/etc/haproxy/sse-gateway-internal.acl", Path.of("haproxy/sse-gateway-internal.acl").toAbsolutePath().toString());
        assertTrue(!config.contains(":8081") && !config.contains(":8082"), "every node address substituted");
        Path conf = Files.writeString(dir.resolve("haproxy.cfg"), config);
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", conf.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (jdk.send(HttpRequest.newBuilder(URI.create(url("/health"))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        // Let the first health checks mark both nodes up.
        Thread.sleep(500);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        redis.close();
    }

    private TestGateway node(String heartbeat) throws Exception {
        TestGateway node = TestGateway.start("redis-url", redis.url(), "heartbeat", heartbeat, "idle-timeout", "60s",
            "retry", "200ms", "shutdown-retry-jitter", "200ms", "max-streams", Integer.toString(MAX_STREAMS_PER_NODE),
            "auth-hs256-secret-file", secret.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (node.get("/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return node;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String publish(String topic, String data) throws Exception {
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(url("/publish?topic=" + topic)))
            .header("Authorization", "Bearer " + Tokens.hs256(List.of("**"), List.of(), Duration.ofMinutes(5)))
            .POST(HttpRequest.BodyPublishers.ofString(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.field(r.body(), "id");
    }

    @Test
    void firstByteAndEventsCrossHaproxyWithoutBuffering() throws Exception {
        startPool(false, "25s");
        long start = System.nanoTime();
        try (SseClient c = SseClient.connect(http, url("/events?topic=hp"))) {
            assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(5)));
            long firstByteMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(firstByteMs < 1000, "first byte through HAProxy after " + firstByteMs + " ms");
            long sent = System.nanoTime();
            String id = publish("hp", "small");
            SseEvent e = c.next(Duration.ofSeconds(5), "a small event, not held in a buffer");
            assertEquals(id, e.id());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) < 1000);
        }
    }

    @Test
    void anIdleStreamOutlivesShortProxyTimeoutsBecauseOfHeartbeats() throws Exception {
        startPool(false, "1s");
        try (SseClient c = SseClient.connect(http, url("/events?topic=hp"))) {
            c.nextComment(Duration.ofSeconds(5));
            Thread.sleep(7000); // more than twice HAProxy's client and server timeouts of 3 s
            assertTrue(!c.done().isDone(), "HAProxy did not cut the stream");
            String id = publish("hp", "after the idle time");
            assertEquals(id, c.next().id());
        }
    }

    @Test
    void aPublishThroughHaproxyReachesSubscribersOnBothNodes() throws Exception {
        startPool(false, "25s");
        try (SseClient onA = SseClient.connect(http, nodeA.url("/events?topic=hp"));
             SseClient onB = SseClient.connect(http, nodeB.url("/events?topic=hp"))) {
            onA.nextComment(Duration.ofSeconds(5));
            onB.nextComment(Duration.ofSeconds(5));
            String id = publish("hp", "to everyone");
            assertEquals(id, onA.next().id());
            assertEquals(id, onB.next().id());
        }
    }

    @Test
    void stoppingOneNodeMovesItsClientsToTheOtherWithoutLoss() throws Exception {
        startPool(false, "25s");
        assertClientsMoveWithoutLoss();
    }

    @Test
    void overHttp2ToTheNodesStreamsShareFewConnectionsAndClientsStillMoveWithoutLoss() throws Exception {
        startPool(true, "2s");
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * MAX_STREAMS_PER_NODE; i++) {
                SseClient c = SseClient.connect(http, url("/events?topic=mux"));
                assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(5)));
                clients.add(c);
            }
            assertEquals(MAX_STREAMS_PER_NODE, nodeA.gateway().streams());
            assertEquals(MAX_STREAMS_PER_NODE, nodeB.gateway().streams());
            // 8 streams a node on at most 3 connections (HAProxy may open a second while the first is set up, and health checks connect).
            assertTrue(nodeA.connections() <= 3 && nodeB.connections() <= 3,
                "connections: " + nodeA.connections() + " and " + nodeB.connections());
            String id = publish("mux", "multiplexed");
            for (SseClient c : clients) {
                assertEquals(id, c.next(WAIT, "the event on every multiplexed stream").id());
            }
            // A client that leaves: HAProxy 2.6 notices at its next write (a heartbeat, 2 s here) and resets the
            // stream on the shared connection, which returns the node's permit.
            clients.remove(0).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (nodeA.gateway().streams() + nodeB.gateway().streams() != 2 * MAX_STREAMS_PER_NODE - 1
                && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2 * MAX_STREAMS_PER_NODE - 1, nodeA.gateway().streams() + nodeB.gateway().streams());
        } finally {
            clients.forEach(SseClient::close);
        }
        // Wait until the pool is empty again, then the drain-and-move test over h2.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (nodeA.gateway().streams() + nodeB.gateway().streams() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertClientsMoveWithoutLoss();
    }

    /** Six clients over both nodes; node A stops mid-publishing; every client gets every event once, in order. */
    private void assertClientsMoveWithoutLoss() throws Exception {
        int clients = 6;
        List<SseClient> current = new ArrayList<>();
        List<List<String>> received = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            SseClient c = SseClient.connect(http, url("/events?topic=hp"));
            c.nextComment(Duration.ofSeconds(5));
            current.add(c);
            received.add(new ArrayList<>());
        }
        assertTrue(nodeA.gateway().hub().streamCount() > 0 && nodeB.gateway().hub().streamCount() > 0,
            "HAProxy spread the streams over both nodes");
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            published.add(publish("hp", "before " + i));
        }
        nodeA.stop(); // drains: server-shutdown, then its streams end
        for (int i = 0; i < 30; i++) {
            published.add(publish("hp", "after " + i));
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
                    // What EventSource does: reconnect with the last id (HAProxy picks the live node).
                    current.set(i, SseClient.connect(http, url("/events?topic=hp"), got.isEmpty() ? null : got.get(got.size() - 1)));
                }
                Thread.sleep(20);
            }
            assertEquals(published, got, "client " + i + " received every event once, in order");
            current.get(i).close();
        }
    }

    @Test
    void aFullNodeSendsTheStreamToTheOtherAndWhenAllAreFullTheBrowserGetsARetry() throws Exception {
        startPool(false, "25s");
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * MAX_STREAMS_PER_NODE; i++) {
                SseClient c = SseClient.connect(http, url("/events?topic=full"));
                assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(5)), "stream " + i + " found a node with room");
                open.add(c);
            }
            assertEquals(MAX_STREAMS_PER_NODE, nodeA.gateway().hub().streamCount());
            assertEquals(MAX_STREAMS_PER_NODE, nodeB.gateway().hub().streamCount());
            assertBusyAnswer();
        } finally {
            open.forEach(SseClient::close);
        }
        // With every node down, HAProxy's own 503 becomes the same answer.
        nodeA.stop();
        nodeB.stop();
        Thread.sleep(5000); // two failed checks, 2 s apart
        assertBusyAnswer();
    }

    private void assertBusyAnswer() throws Exception {
        HttpResponse<String> busy = jdk.send(HttpRequest.newBuilder(URI.create(url("/events?topic=full"))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, busy.statusCode(), busy.body());
        assertTrue(busy.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Matcher m = Pattern.compile(
            "retry: (\\d+)\nevent: server-busy\ndata: \\{\"reason\":\"all-nodes-busy\",\"retryMillis\":(\\d+)}\n\n")
            .matcher(busy.body());
        assertTrue(m.matches(), busy.body());
        long retry = Long.parseLong(m.group(1));
        assertEquals(m.group(1), m.group(2), "one retry value in the field and the data");
        assertTrue(retry >= 1500 && retry <= 3000, "jittered retry: " + retry);
    }

    @Test
    void aForwardedPublishWithoutATokenGetsAJsonRefusalAndInternalPathsAreClosedToTheWorld() throws Exception {
        startPool(false, "25s");
        HttpResponse<String> anonymous = jdk.send(HttpRequest.newBuilder(URI.create(url("/publish?topic=hp")))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("missing-token", Json.field(anonymous.body(), "error"));
        for (String path : List.of("/publish?topic=hp", "/metrics", "/", "/ready")) {
            String[] status = curlFrom("127.0.0.2", path);
            assertEquals("403", status[0], path + ": " + status[1]);
            assertEquals("forbidden", Json.field(status[1], "error"), path);
        }
        Process p = new ProcessBuilder("curl", "-s", "-N", "--max-time", "1", "--interface", "127.0.0.2",
            url("/events?topic=hp")).redirectErrorStream(true).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith(": sse-gateway"), "streams are for the world: " + body);
    }

    private String[] curlFrom(String source, String path) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "--interface", source, "-w", "\n%{http_code}", url(path))
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(nl + 1), out.substring(0, nl)};
    }
}
