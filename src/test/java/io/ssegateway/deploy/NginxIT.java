package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.auth.Tokens;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, point 4: the shipped nginx configuration, run by a real nginx on loopback in front of
 * two gateway nodes that share a test Redis. Only ports, paths and (deliberately short) timeouts
 * are substituted; every other directive is the shipped one.
 */
class NginxIT {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final int MAX_STREAMS_PER_NODE = 8;
    private Path secret;
    private RedisServer redis;
    private TestGateway nodeA;
    private TestGateway nodeB;
    private Process nginx;
    private int port;
    private HttpClient http;
    private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        assertTrue(Files.isExecutable(NGINX), "nginx tests need nginx (.ci/install-test-programs installs nginx-light)");
        redis = RedisServer.start();
        secret = Files.writeString(Files.createTempFile(Path.of("target"), "secret", ".txt"), Tokens.SECRET);
        nodeA = node();
        nodeB = node();
        port = GatewayProcess.freePort();
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "nginx-");
        String site = Files.readString(Path.of("nginx/sse-gateway.conf"))
            .replace("server 127.0.0.1:8081", "server 127.0.0.1:" + nodeA.port())
            .replace("server 127.0.0.1:8082", "server 127.0.0.1:" + nodeB.port())
            .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
            .replace("listen [::]:80;", "listen [::1]:" + port + ";")
            .replace("proxy_read_timeout 1h;", "proxy_read_timeout 3s;")
            .replace("include sse-gateway-internal.conf;", "include " + Path.of("nginx/sse-gateway-internal.conf").toAbsolutePath() + ";");
        String main = "pid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("error.log") + " warn;\n"
            + "worker_processes 1;\nevents { worker_connections 1024; }\nhttp {\n"
            + "  access_log " + dir.resolve("access.log") + ";\n"
            + "  client_body_temp_path " + dir + "/body; proxy_temp_path " + dir + "/proxy;\n"
            + "  fastcgi_temp_path " + dir + "/fcgi; uwsgi_temp_path " + dir + "/uwsgi; scgi_temp_path " + dir + "/scgi;\n"
            + site + "\n}\n";
        Path conf = Files.writeString(dir.resolve("nginx.conf"), main);
        nginx = new ProcessBuilder(NGINX.toString(), "-c", conf.toString(), "-p", dir.toString(), "-g", "daemon off;")
            .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        ProxiedPool.awaitAnswering(jdk, url("/health"));
        http = Clients.started(32);
    }

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.stop();
        }
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        nodeA.close();
        nodeB.close();
        redis.close();
    }

    private TestGateway node() throws Exception {
        return ProxiedPool.node(redis, secret, "1s", "10s", MAX_STREAMS_PER_NODE);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String publish(String data) throws Exception {
        return ProxiedPool.publish(jdk, url("/publish?topic=ng"), data);
    }

    @Test
    void firstByteAndEventsCrossNginxWithoutBuffering() throws Exception {
        long start = System.nanoTime();
        try (SseClient c = SseClient.connect(http, url("/events?topic=ng"))) {
            assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(5)));
            long firstByteMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(firstByteMs < 1000, "first byte through nginx after " + firstByteMs + " ms");
            long sent = System.nanoTime();
            String id = publish("small");
            SseEvent e = c.next(Duration.ofSeconds(5), "a small event, not held in a buffer");
            assertEquals(id, e.id());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) < 1000);
        }
    }

    @Test
    void theDoctorsLiveChecksPassThroughNginx() throws Exception {
        List<io.ssegateway.ops.doctor.Check> checks = io.ssegateway.ops.doctor.Doctor.run(1, Path.of("/proc"),
            io.ssegateway.ops.doctor.ServiceFacts.fetch(url("")), null, null, 1, url(""), Tokens.hs256(List.of("**"), List.of(), Duration.ofMinutes(5)));
        List<io.ssegateway.ops.doctor.Check> live = checks.stream().filter(c -> c.name().startsWith("url")).toList();
        assertEquals(3, live.size());
        live.forEach(c -> assertEquals(io.ssegateway.ops.doctor.Check.Verdict.PASS, c.verdict(), c.line()));
    }

    @Test
    void anIdleStreamOutlivesAShortProxyReadTimeoutBecauseOfHeartbeats() throws Exception {
        try (SseClient c = SseClient.connect(http, url("/events?topic=ng"))) {
            c.nextComment(Duration.ofSeconds(5));
            Thread.sleep(6000); // twice nginx's proxy_read_timeout of 3 s
            assertTrue(!c.done().isDone(), "nginx did not cut the stream");
            String id = publish("after the idle time");
            assertEquals(id, c.next().id());
        }
    }

    @Test
    void aPublishThroughNginxReachesSubscribersOnBothNodes() throws Exception {
        try (SseClient onA = SseClient.connect(http, nodeA.url("/events?topic=ng"));
             SseClient onB = SseClient.connect(http, nodeB.url("/events?topic=ng"))) {
            onA.nextComment(Duration.ofSeconds(5));
            onB.nextComment(Duration.ofSeconds(5));
            String id = publish("to everyone");
            assertEquals(id, onA.next().id());
            assertEquals(id, onB.next().id());
        }
    }

    @Test
    void stoppingOneNodeMovesItsClientsToTheOtherWithoutLoss() throws Exception {
        ProxiedPool.assertClientsMoveWithoutLoss(http, url("/events?topic=ng"), nodeA, nodeB, this::publish);
    }

    /** Point 4 of the edge issue: what comes through nginx is not a loopback publisher, and internal paths stay internal. */
    @Test
    void aForwardedPublishWithoutATokenGetsAJsonRefusalAndInternalPathsAreClosedToTheWorld() throws Exception {
        HttpResponse<String> anonymous = jdk.send(HttpRequest.newBuilder(URI.create(url("/publish?topic=ng")))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("missing-token", io.ssegateway.testing.Json.field(anonymous.body(), "error"));
        try (SseClient c = SseClient.connect(http, url("/events?topic=ng"))) {
            assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(5)));
        }
        ProxiedPool.assertInternalPathsClosedToTheWorld(url(""), "ng");
    }

    /** Point 3: a full node sends the stream to the other; when every node is full a browser still gets 200 and a retry. */
    @Test
    void aFullNodeSendsTheStreamToTheOtherAndWhenAllAreFullTheBrowserGetsARetry() throws Exception {
        ProxiedPool.assertFullNodesMoveStreamsThenBusy(http, jdk, url("/events?topic=full"), nodeA, nodeB,
            MAX_STREAMS_PER_NODE, 1500, 2850);
    }

    /** Issue 13, point 7: through the balancer the dashboard says its polls reach two nodes. */
    @Test
    void theDashboardBehindNginxSaysItsPollsReachTwoNodes() throws Exception {
        try (io.ssegateway.testing.Browser browser = io.ssegateway.testing.Browser.start(1280, 900)) {
            org.openqa.selenium.WebDriver page = browser.driver();
            page.get(url("/#dashboard"));
            browser.await(d -> d.findElement(org.openqa.selenium.By.id("m-node")).getText().contains("polls reach 2 nodes"),
                Duration.ofSeconds(20));
            String shown = page.findElement(org.openqa.selenium.By.id("m-node")).getAttribute("data-node");
            assertTrue(shown.equals(nodeA.gateway().nodeName()) || shown.equals(nodeB.gateway().nodeName()), shown);
            browser.screenshot("dashboard-two-nodes");
        }
    }

    @Test
    void theMercureHubIsOpenToTheWorldThroughTheShippedConfiguration() throws Exception {
        ProxiedPool.assertMercureOpenToTheWorld(url(""));
    }
}
