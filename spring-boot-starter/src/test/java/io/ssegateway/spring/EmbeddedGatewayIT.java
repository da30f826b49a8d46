package io.ssegateway.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import demo.minimal.MinimalApplication;
import demo.publishing.PublishingApplication;
import io.ssegateway.client.EventListener;
import io.ssegateway.client.EventStream;
import io.ssegateway.client.GatewayClient;
import io.ssegateway.client.Publication;
import io.ssegateway.client.ServerEvent;
import io.ssegateway.client.Subscription;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The starter in real Spring Boot 4 applications, each in its own JVM on its own port, met by the
 * clients users have: curl, a browser's native EventSource (Debian's Chromium), the Java client,
 * SIGTERM from the process manager; on Tomcat and on Jetty, with and without Spring Security.
 */
class EmbeddedGatewayIT {
    private final HttpClient http = HttpClient.newHttpClient();

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-m", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.SECONDS));
        return out;
    }

    /**
     * The application whose only code is {@code @SpringBootApplication}, on Tomcat without Spring
     * Security: curl streams and publishes ({@code -d}, a form body) on the application's own port;
     * Actuator shows the gateway; the gateway's metrics answer; a misspelt setting stops start-up
     * naming the right one.
     */
    @Test
    void aMinimalApplicationServesEventsAndPublishOnItsOwnPort() throws Exception {
        try (SpringApp app = SpringApp.start(MinimalApplication.class, SpringApp.JETTY.or(SpringApp.SECURITY),
            "--management.endpoint.health.show-components=always")) {
            assertTrue(app.output().contains("Tomcat started on port"), "Tomcat by default");
            Process stream = new ProcessBuilder("curl", "-s", "-N", "-m", "8", app.url("/events?topic=news")).start();
            await(() -> {
                try {
                    return get(app.url("/health")).body().contains("\"streams\":1");
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(10), "the stream is open");
            String answer = curl("-d", "hello from curl", app.url("/publish?topic=news"));
            assertTrue(answer.startsWith("{\"id\":\""), answer);
            assertTrue(stream.waitFor(15, TimeUnit.SECONDS));
            String streamed = new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(streamed.startsWith(": sse-gateway\n"), streamed);
            assertTrue(streamed.contains("data: hello from curl\n\n"), streamed);

            HttpResponse<String> health = get(app.url("/actuator/health"));
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"sseGateway\":{\"status\":\"UP\""), health.body());
            HttpResponse<String> metrics = get(app.url("/metrics"));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("sse_streams"), "the gateway's metrics on Boot's Prometheus version");
        }
        try (SpringApp fromSpring = SpringApp.start(MinimalApplication.class, SpringApp.JETTY.or(SpringApp.SECURITY),
                "--sse.heartbeat=7s", "--sse.drain-timeout=2s");
             SpringApp envWins = SpringApp.start(MinimalApplication.class, SpringApp.JETTY.or(SpringApp.SECURITY),
                 Map.of("SSE_HEARTBEAT", "3s"), "--sse.heartbeat=7s")) {
            assertTrue(fromSpring.output().contains("sse-gateway started: heartbeat 7s"), "Spring's sse.* properties apply");
            assertTrue(fromSpring.output().contains("drain 2s"), "each of them");
            assertTrue(envWins.output().contains("sse-gateway started: heartbeat 3s"), "SSE_* overrides them, as for the jar");
        }
        try (SpringApp misspelt = SpringApp.launch(MinimalApplication.class, SpringApp.JETTY.or(SpringApp.SECURITY),
            "--sse.heartbeatt=5s")) {
            assertTrue(misspelt.awaitExit(Duration.ofSeconds(60)) != 0, "a misspelt setting stops start-up");
            String log = misspelt.output();
            assertTrue(log.contains("heartbeatt") && log.contains("did you mean heartbeat"), log);
        }
    }

    /**
     * A native EventSource in Chromium receives what a bean of the application publishes, on Jetty
     * without Spring Security and on Tomcat with it (the gateway's paths are left to the gateway,
     * the rest stays protected): one event, no phantom empty one, no error.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat-with-spring-security"})
    void aBrowsersEventSourceReceivesWhatABeanPublishes(String setup) throws Exception {
        Predicate<String> without = setup.equals("jetty") ? SpringApp.TOMCAT.or(SpringApp.SECURITY) : SpringApp.JETTY;
        try (SpringApp app = SpringApp.start(PublishingApplication.class, without, "--spring.security.user.password=secret")) {
            assertTrue(app.output().contains(setup.equals("jetty") ? "Jetty started on port" : "Tomcat started on port"));
            if (setup.equals("jetty")) {
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(app.url("/greet?name=x")))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, put.statusCode(), "the gateway's filters leave the application's methods alone: " + put.body());
                HttpResponse<String> missing = get(app.url("/no-such-page"));
                assertEquals(404, missing.statusCode());
                assertFalse(missing.body().contains("\"error\":\"not-found\""), "the application's 404, not the gateway's: " + missing.body());
            } else {
                assertEquals(401, get(app.url("/greet?name=nobody")).statusCode(), "the application's own paths stay protected");
                assertEquals(401, get(app.url("/metrics")).statusCode(), "and so do the gateway's operations paths");
            }
            ChromeDriver browser = chromium();
            try {
                browser.get(app.url("/actuator/health"));
                JavascriptExecutor js = browser;
                js.executeScript("window.got = []; window.errors = 0;"
                    + "const es = new EventSource('/events?topic=greetings');"
                    + "es.onmessage = e => window.got.push(e.data); es.onerror = () => window.errors++; window.es = es;");
                await(() -> Long.valueOf(1).equals(js.executeScript("return window.es.readyState")), Duration.ofSeconds(10), "open");
                HttpRequest greet = HttpRequest.newBuilder(URI.create(app.url("/greet?name=browser")))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8)))
                    .build();
                HttpResponse<String> published = http.send(greet, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, published.statusCode(), published.body());
                await(() -> !((List<?>) js.executeScript("return window.got")).isEmpty(), Duration.ofSeconds(10), "the event");
                Thread.sleep(300);
                assertEquals(List.of("hello browser"), js.executeScript("return window.got"));
                assertEquals(0L, js.executeScript("return window.errors"));
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * SIGTERM to an application on Tomcat with a Redis broker (Jedis at Boot's version): readiness
     * answers 503 while the gateway drains, the drain runs before the web server's graceful
     * shutdown, and a subscriber is told server-shutdown. A stream whose client stopped reading
     * holds the drain until drain-timeout; its last bytes then still sit in the socket, and Tomcat's
     * graceful shutdown waits for them until Spring's timeout-per-shutdown-phase (30 s by default,
     * 3 s here, as the README advises for gateways).
     */
    @ParameterizedTest
    @ValueSource(strings = {"without", "with-spring-security"})
    void sigtermDrainsTheStreamsFirstAndReadinessGoesDownMeanwhile(String security) throws Exception {
        int redisPort;
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Predicate<String> without = security.equals("without") ? SpringApp.JETTY.or(SpringApp.SECURITY) : SpringApp.JETTY;
        try (SpringApp app = SpringApp.start(MinimalApplication.class, without,
                "--sse.redis-url=redis://127.0.0.1:" + redisPort, "--sse.drain-timeout=4s", "--sse.queue-max-bytes=67108864",
                "--management.endpoint.health.probes.enabled=true", "--management.endpoint.health.show-components=always",
                "--spring.lifecycle.timeout-per-shutdown-phase=3s");
             GatewayClient gateway = GatewayClient.builder(URI.create(app.url("/"))).build();
             Socket stuck = new Socket()) {
            List<String> reconnects = new CopyOnWriteArrayList<>();
            List<ServerEvent> events = new CopyOnWriteArrayList<>();
            EventStream live = gateway.subscribe(Subscription.to("live"), new EventListener() {
                @Override
                public void onEvent(ServerEvent event) {
                    events.add(event);
                }

                @Override
                public void onReconnecting(long delayMillis, String reason) {
                    reconnects.add(reason);
                }
            });
            await(live::isOpen, Duration.ofSeconds(10), "the subscription opens");
            gateway.publish(Publication.of("live", "before"));
            await(() -> events.size() == 1, Duration.ofSeconds(10), "the live event, through Redis");

            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", URI.create(app.url("/")).getPort()));
            stuck.getOutputStream().write("GET /events?topic=bulk HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = stuck.getInputStream();
            in.read(new byte[256]);
            String chunk = "y".repeat(60_000);
            for (int i = 0; i < 100; i++) {
                gateway.publish(Publication.of("bulk", chunk));
            }
            assertEquals(200, get(app.url("/actuator/health/readiness")).statusCode());

            long sigterm = System.nanoTime();
            app.process().destroy();
            boolean sawOutOfService = false;
            boolean sawGatewayDraining = false;
            while (app.process().isAlive() && System.nanoTime() - sigterm < 20_000_000_000L) {
                try {
                    HttpResponse<String> readiness = get(app.url("/actuator/health/readiness"));
                    sawOutOfService |= readiness.statusCode() == 503;
                    sawGatewayDraining |= get(app.url("/actuator/health")).body().contains("\"sseGateway\":{\"status\":\"OUT_OF_SERVICE\"");
                } catch (java.io.IOException closed) {
                    // the server stopped listening
                }
                Thread.sleep(50);
            }
            long exitedMs = (System.nanoTime() - sigterm) / 1_000_000;
            app.awaitExit(Duration.ofSeconds(30));
            String log = app.output();
            System.out.println("EmbeddedGatewayIT (" + security + " Spring Security): exited " + exitedMs + " ms after SIGTERM; readiness 503 seen: " + sawOutOfService
                + ", sseGateway OUT_OF_SERVICE seen: " + sawGatewayDraining + "; reconnects " + reconnects);
            assertTrue(sawOutOfService, "readiness answered 503 while draining");
            assertTrue(sawGatewayDraining, "the sseGateway contributor said OUT_OF_SERVICE");
            await(() -> reconnects.contains("server-shutdown"), Duration.ofSeconds(5), "the subscriber was told");
            assertTrue(exitedMs >= 3_500, "the stuck stream held the drain until drain-timeout: " + exitedMs);
            assertTrue(exitedMs < 4_000 + 3_000 + 3_000, "and then Tomcat's wait for the stuck connection, no longer: " + exitedMs);
            int drained = log.indexOf("sse-gateway: draining 2 streams");
            int graceful = log.indexOf("Commencing graceful shutdown");
            assertTrue(drained >= 0, log);
            assertTrue(graceful < 0 || drained < graceful, "the drain ran before the web server's graceful shutdown:\n" + log);
        } finally {
            redis.destroyForcibly();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * With Spring Security on the class path and a signing key configured: Spring Security does not
     * answer for the gateway's paths (no login page, no CSRF refusal of curl's POST), and the
     * gateway's own token rules apply there: no token 401, a token without the topic 403, a token
     * with it 200.
     */
    @Test
    void withSpringSecurityTheGatewaysOwnTokenRulesApply() throws Exception {
        Path secretFile = Files.createTempFile(Path.of("target"), "jwt-secret-", "");
        String secret = "0123456789abcdef0123456789abcdef-spring-test";
        Files.writeString(secretFile, secret);
        try (SpringApp app = SpringApp.start(MinimalApplication.class, SpringApp.JETTY,
            "--sse.auth-hs256-secret-file=" + secretFile.toAbsolutePath())) {
            String none = curl("-w", " %{http_code}", "-d", "x", app.url("/publish?topic=news"));
            assertTrue(none.endsWith(" 401") && none.contains("\"error\":\"missing-token\""), none);
            String other = curl("-w", " %{http_code}", "-H", "Authorization: Bearer " + token(secret, "weather"), "-d", "x",
                app.url("/publish?topic=news"));
            assertTrue(other.endsWith(" 403") && other.contains("\"error\":\"topic-forbidden\""), other);
            String ok = curl("-w", " %{http_code}", "-H", "Authorization: Bearer " + token(secret, "news"), "-d", "x",
                app.url("/publish?topic=news"));
            assertTrue(ok.endsWith(" 200"), ok);
            String stream = curl("-N", "-m", "2", app.url("/events?topic=news"));
            assertTrue(stream.startsWith(": sse-gateway"), "streams are the gateway's: " + stream);
            assertFalse(curl("-w", " %{http_code}", app.url("/actuator/env")).endsWith(" 200"), "the rest is Spring Security's");
        }
    }

    /**
     * With {@code sse-gateway.url} the application embeds nothing: its publisher bean publishes
     * through the client to the gateway at that address (the real jar here).
     */
    @Test
    void withAUrlTheBeanPublishesToTheGatewayElsewhere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path jar = Path.of(System.getProperty("it.jar"));
        assertTrue(Files.isRegularFile(jar), "the gateway's jar is built before the starter: " + jar);
        Process gatewayJar = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-jar", jar.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String remote = "http://127.0.0.1:" + port + "/";
        try (SpringApp app = SpringApp.launch(PublishingApplication.class, SpringApp.JETTY.or(SpringApp.SECURITY),
                "--sse-gateway.url=" + remote)) {
            await(() -> {
                try {
                    return get(remote + "health").statusCode() == 200 && get(app.url("/actuator/health")).statusCode() == 200;
                } catch (Exception notYet) {
                    return false;
                }
            }, Duration.ofSeconds(60), "the gateway and the application are up");
            assertEquals(404, get(app.url("/events?topic=greetings")).statusCode(), "nothing is embedded");
            try (GatewayClient gateway = GatewayClient.builder(URI.create(remote)).build()) {
                List<ServerEvent> events = new CopyOnWriteArrayList<>();
                EventStream stream = gateway.subscribe(Subscription.to("greetings"), events::add);
                await(stream::isOpen, Duration.ofSeconds(10), "the subscription on the gateway opens");
                HttpResponse<String> published = get(app.url("/greet?name=remote"));
                assertEquals(200, published.statusCode(), published.body());
                await(() -> events.size() == 1, Duration.ofSeconds(10), "the event, through the gateway");
                assertEquals("hello remote", events.get(0).data());
                assertEquals(published.body(), events.get(0).id(), "the bean got the gateway's id back");
            }
        } finally {
            gatewayJar.destroy();
            gatewayJar.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static String token(String secret, String topic) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("backend")
            .expirationTime(Date.from(java.time.Instant.now().plusSeconds(600))).claim("publish", List.of(topic)).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** Debian's headless Chromium through its chromedriver, with the flags this machine needs as root. */
    private static ChromeDriver chromium() throws Exception {
        Path profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
