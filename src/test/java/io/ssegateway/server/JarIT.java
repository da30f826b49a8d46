package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Points 1 and 8 of the core issue, against the packaged jar run as its own process. */
class JarIT {
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static org.eclipse.jetty.client.HttpClient http;
    private final HttpClient jdk = HttpClient.newHttpClient();

    @BeforeAll
    static void client() throws Exception {
        http = Clients.started(16);
    }

    @AfterAll
    static void stopClient() throws Exception {
        http.stop();
    }

    @Test
    void jarStreamsAndPublishesOnThePortGivenByFlag() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start()) {
            assertStreamsAndPublishes(gw);
            assertTrue(gw.output().contains("max-streams"), "capacity is logged at start");
        }
    }

    @Test
    void sseEnvironmentVariableSetsThePort() throws Exception {
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port,
                Map.of("SSE_PORT", Integer.toString(port), "SSE_HOST", "127.0.0.1"), List.of())) {
            gw.awaitHealthy(Duration.ofSeconds(30));
            assertStreamsAndPublishes(gw);
        }
    }

    @Test
    void jarRunsOnJdk25WithCompactObjectHeaders() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(JDK25), "no JDK 25 at " + JDK25);
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(JDK25.toString(), port,
                Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseCompactObjectHeaders"),
                List.of("--port", Integer.toString(port), "--host", "127.0.0.1"))) {
            gw.awaitHealthy(Duration.ofSeconds(30));
            assertStreamsAndPublishes(gw);
        }
    }

    @Test
    void sigtermDrainsStreamsWithServerShutdownAndExitsWithinTheDrainTime() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start("--drain-timeout", "3s")) {
            SseClient c = SseClient.connect(http, gw.url("/events?topic=bye"));
            c.nextComment(Duration.ofSeconds(10));
            long start = System.nanoTime();
            int exit = gw.terminate(Duration.ofSeconds(10));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            SseEvent e = c.next(Duration.ofSeconds(5), "server-shutdown");
            assertEquals("server-shutdown", e.event());
            c.done().get(5, TimeUnit.SECONDS);
            assertTrue(ms < 5000, "exited " + ms + " ms after SIGTERM");
            assertEquals(143, exit, "terminated by SIGTERM after the shutdown hook");
            assertTrue(gw.output().contains("shutdown complete"), gw.output());
        }
    }

    @Test
    void anInvalidValueStopsStartupWithAMessageNamingTheKey() throws Exception {
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port,
                Map.of(), List.of("--port", Integer.toString(port), "--heartbeat", "soon"))) {
            assertTrue(gw.process().waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, gw.process().exitValue());
            assertTrue(gw.output().contains("SSE_HEARTBEAT") && gw.output().contains("soon"), gw.output());
        }
    }

    @Test
    void rootServesTheDemoPage() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start()) {
            HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/"))).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("sse-gateway"));
        }
    }

    private void assertStreamsAndPublishes(GatewayProcess gw) throws Exception {
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=news"))) {
            c.nextComment(Duration.ofSeconds(10));
            HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=news")))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("news", Json.field(r.body(), "topic"));
            SseEvent e = c.next();
            assertEquals("hello", e.data());
            assertEquals(Json.field(r.body(), "id"), e.id());
        }
    }
}
