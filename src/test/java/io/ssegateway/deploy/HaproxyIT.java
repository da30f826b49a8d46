package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.auth.Tokens;
import io.ssegateway.testing.AwaitHttp;
import io.ssegateway.testing.Browser;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.Processes;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The shipped HAProxy configuration, run by Debian's HAProxy on loopback in front of two gateway
 * nodes that share a test Redis, over HTTP/1.1 and with {@code proto h2} to the nodes. Only
 * addresses, the allow-list path and (deliberately short) timeouts are substituted.
 */
class HaproxyIT {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final int HARD_LIMIT = 20_000;
    private static final int MAX_STREAMS_PER_NODE = 8;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Path secret;
    private RedisServer redis;
    private TestGateway nodeA;
    private TestGateway nodeB;
    private Process haproxy;
    private Path haproxyLog;
    private int port;
    private HttpClient http;
    private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        assertTrue(Files.isExecutable(HAPROXY), "HAProxy tests need haproxy (.ci/install-test-programs installs it)");
        redis = RedisServer.start();
        secret = Files.writeString(Files.createTempFile(Path.of("target"), "secret", ".txt"), Tokens.SECRET);
        http = Clients.started(64);
    }

    /**
     * Starts both nodes and HAProxy with the shipped file; {@code h2} adds {@code proto h2} to the stream
     * backend; {@code shortTimeouts} cuts HAProxy's client and server timeouts to 3 s.
     */
    private void startPool(boolean h2, String heartbeat, boolean shortTimeouts) throws Exception {
        nodeA = node(heartbeat);
        nodeB = node(heartbeat);
        startHaproxy(nodeA.port(), nodeB.port(), h2, shortTimeouts);
        ProxiedPool.awaitAnswering(jdk, url("/health"));
        // Let the first health checks mark both nodes up.
        Thread.sleep(500);
    }

    /** Starts HAProxy with the shipped file, its two nodes at {@code portA} and {@code portB}. */
    private void startHaproxy(int portA, int portB, boolean h2, boolean shortTimeouts) throws Exception {
        port = GatewayProcess.freePort();
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "haproxy-");
        String shipped = Files.readString(Path.of("haproxy/sse-gateway.cfg"));
        String[] sections = shipped.split("\nbackend sse_internal", 2);
        String events = sections[0]
            .replace("server node1 127.0.0.1:8081 check", "server node1 127.0.0.1:" + portA + " check" + (h2 ? " proto h2" : ""))
            .replace("server node2 127.0.0.1:8082 check", "server node2 127.0.0.1:" + portB + " check" + (h2 ? " proto h2" : ""));
        String internal = sections[1]
            .replace("127.0.0.1:8081", "127.0.0.1:" + portA)
            .replace("127.0.0.1:8082", "127.0.0.1:" + portB);
        String config = (events + "\nbackend sse_internal" + internal)
            .replace("bind :80", "bind 127.0.0.1:" + port)
            .replace("timeout client 60s", shortTimeouts ? "timeout client 3s" : "timeout client 60s")
            .replace("timeout server 60s", shortTimeouts ? "timeout server 3s" : "timeout server 60s")
            .replace("log stdout format raw local0 notice", "log stderr format raw local0 info")
            .replace("/etc/haproxy/sse-gateway-internal.acl", Path.of("haproxy/sse-gateway-internal.acl").toAbsolutePath().toString());
        assertTrue(!config.contains(":8081") && !config.contains(":8082"), "every node address substituted");
        Path conf = Files.writeString(dir.resolve("haproxy.cfg"), config);
        // Under the open-file hard limit of this machine and of containers, whatever this shell has.
        haproxy = new ProcessBuilder("prlimit", "--nofile=" + HARD_LIMIT + ":" + HARD_LIMIT, HAPROXY.toString(), "-db", "-f", conf.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        haproxyLog = dir.resolve("haproxy.log");
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
        return ProxiedPool.node(redis, secret, heartbeat, "60s", MAX_STREAMS_PER_NODE);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String publish(String topic, String data) throws Exception {
        return ProxiedPool.publish(jdk, url("/publish?topic=" + topic), data);
    }

    /**
     * Issue 21, point 6: under a 20,000 open-file hard limit the shipped file starts (every test here
     * starts it so); the global maxconn 200000 it had passed haproxy -c and did not start.
     */
    @Test
    void theShippedGlobalStartsUnderA20000HardLimitWhereMaxconn200000DidNot() throws Exception {
        startPool(false, "25s", false);
        assertEquals(200, jdk.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/health"))).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode(), "the shipped file runs");
        Path old = Files.createTempFile(Path.of("target").toAbsolutePath(), "haproxy-old", ".cfg");
        Files.writeString(old, Files.readString(Path.of("haproxy/sse-gateway.cfg")).replace("global\n", "global\n    maxconn 200000\n")
            .replace("bind :80", "bind 127.0.0.1:" + GatewayProcess.freePort())
            .replace("/etc/haproxy/sse-gateway-internal.acl", Path.of("haproxy/sse-gateway-internal.acl").toAbsolutePath().toString()));
        assertEquals(0, runUnderLimit(HAPROXY.toString(), "-c", "-f", old.toString()).exit(), "haproxy -c passes it");
        Processes.Ran started = runUnderLimit(HAPROXY.toString(), "-db", "-f", old.toString());
        assertTrue(started.exit() != 0 && started.output().contains("Cannot raise FD limit"), started.output());
    }

    private static Processes.Ran runUnderLimit(String... command) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("prlimit", "--nofile=" + HARD_LIMIT + ":" + HARD_LIMIT));
        cmd.addAll(List.of(command));
        return Processes.run(cmd, Duration.ofSeconds(20));
    }

    @Test
    void firstByteAndEventsCrossHaproxyWithoutBuffering() throws Exception {
        startPool(false, "25s", false);
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
        startPool(false, "1s", true);
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
        startPool(false, "25s", false);
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
        startPool(false, "25s", false);
        ProxiedPool.assertClientsMoveWithoutLoss(http, url("/events?topic=hp"), nodeA, nodeB, data -> publish("hp", data));
    }

    @Test
    void overHttp2ToTheNodesStreamsShareFewConnectionsAndClientsStillMoveWithoutLoss() throws Exception {
        startPool(true, "1s", false);
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
            // A client that leaves: HAProxy 2.6 notices when a write to it fails (one to two heartbeats, 1 s
            // here) and resets the stream on the shared connection, which returns the node's permit.
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
        ProxiedPool.assertClientsMoveWithoutLoss(http, url("/events?topic=hp"), nodeA, nodeB, data -> publish("hp", data));
    }

    @Test
    void aFullNodeSendsTheStreamToTheOtherAndWhenAllAreFullTheBrowserGetsARetry() throws Exception {
        startPool(false, "25s", false);
        ProxiedPool.assertFullNodesMoveStreamsThenBusy(http, jdk, url("/events?topic=full"), nodeA, nodeB,
            MAX_STREAMS_PER_NODE, 1500, 3000);
        // With every node down, HAProxy's own 503 becomes the same answer.
        nodeA.stop();
        nodeB.stop();
        Thread.sleep(5000); // two failed checks, 2 s apart
        ProxiedPool.assertBusyAnswer(jdk, url("/events?topic=full"), 1500, 3000);
    }

    /**
     * A node that warms up ({@code warm-up}, which the unit, the image and the manifest turn on) is out
     * of HAProxy's pool while its /ready answers 503. Chromium's native EventSource, sent there
     * meanwhile, gets HAProxy's busy answer (200, a retry) again and again and is never CLOSED; once the
     * node is ready and HAProxy's checks have passed, the same EventSource streams from it and gets a
     * published event.
     */
    @Test
    void aWarmingNodeIsOutOfThePoolUntilReadyAndANativeEventSourceWaitsWithoutClosing() throws Exception {
        try (Browser browser = Browser.start(1024, 768);
             GatewayProcess warming = GatewayProcess.start("--warm-up", "true")) {
            startHaproxy(warming.port(), warming.port(), false, false);
            // HAProxy starts a checked server up, and its first failed check (2 s apart) takes it out; both
            // of the file's servers are this node here, and a stream sent through either would end the warm-up.
            for (String server : List.of("node1", "node2")) {
                String down = awaitLogLine("Server sse_events/" + server + " is DOWN", WAIT);
                assertTrue(down.contains("code: 503"), "taken out for /ready's 503 while warming up: " + down);
            }
            ProxiedPool.assertBusyAnswer(jdk, url("/events?topic=warm"), 1500, 3000);

            // Any page of HAProxy's origin, for the EventSource's same-origin URL: the internal backend's /health,
            // or HAProxy's 503 once its own checks of /ready have taken the node out there too.
            browser.driver().get(url("/health"));
            JavascriptExecutor js = (JavascriptExecutor) browser.driver();
            js.executeScript("window.log = []; window.es = new EventSource('/events?topic=warm');"
                + "es.onerror = () => log.push('error:' + es.readyState);"
                + "es.addEventListener('server-busy', e => log.push('busy:' + JSON.parse(e.data).reason));"
                + "es.onmessage = e => log.push('message:' + e.data);");
            browser.await(d -> ((List<?>) js.executeScript("return window.log;")).contains("busy:all-nodes-busy"),
                Duration.ofSeconds(5));

            AwaitHttp.status("GET", warming.url("/ready"), 200, Duration.ofSeconds(60));
            // Two passed checks 2 s apart bring the node back; the EventSource's next attempt after its retry lands there.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Json.parse(jdk.send(HttpRequest.newBuilder(URI.create(warming.url("/health"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getInt("streams") < 1) {
                assertTrue(System.nanoTime() < deadline, "the EventSource reached the node once it was ready: "
                    + js.executeScript("return window.log;"));
                Thread.sleep(100);
            }
            HttpResponse<String> published = jdk.send(HttpRequest.newBuilder(URI.create(warming.url("/publish?topic=warm")))
                .POST(HttpRequest.BodyPublishers.ofString("warm now")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, published.statusCode(), published.body());
            browser.await(d -> ((List<?>) js.executeScript("return window.log;")).contains("message:warm now"),
                Duration.ofSeconds(5));
            @SuppressWarnings("unchecked")
            List<String> log = (List<String>) js.executeScript("return window.log.slice();");
            assertTrue(!log.contains("error:2"), "never CLOSED: " + log);
        }
    }

    /** The first line of HAProxy's output that contains {@code text}, once it appears within {@code timeout}. */
    private String awaitLogLine(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : Files.readAllLines(haproxyLog)) {
                if (line.contains(text)) {
                    return line;
                }
            }
            assertTrue(System.nanoTime() < deadline, "HAProxy said \"" + text + "\" within " + timeout + ": "
                + Files.readString(haproxyLog));
            Thread.sleep(100);
        }
    }

    @Test
    void aForwardedPublishWithoutATokenGetsAJsonRefusalAndInternalPathsAreClosedToTheWorld() throws Exception {
        startPool(false, "25s", false);
        HttpResponse<String> anonymous = jdk.send(HttpRequest.newBuilder(URI.create(url("/publish?topic=hp")))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("missing-token", Json.field(anonymous.body(), "error"));
        ProxiedPool.assertInternalPathsClosedToTheWorld(url(""), "hp");
    }

    @Test
    void theMercureHubIsOpenToTheWorldThroughTheShippedConfiguration() throws Exception {
        startPool(false, "25s", false);
        ProxiedPool.assertMercureOpenToTheWorld(url(""));
    }
}
