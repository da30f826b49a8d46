package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.auth.Tokens;
import io.ssegateway.testing.AwaitHttp;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.ListenBacklog;
import io.ssegateway.testing.Podman;
import io.ssegateway.testing.ServiceLinkVariables;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The top-level Dockerfile, built by podman and run as a user runs it: the base built from Debian's
 * JRE package (no registry here) with its shells removed, passed as BASE_IMAGE, a published port, a memory limit, read-only
 * root, a read-only config file and secret, Kubernetes' service-link variables, and podman stop.
 */
class ContainerIT {
    private static String image;
    private static final Duration PODMAN = Duration.ofMinutes(2);
    private static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void buildImage() throws Exception {
        image = Podman.gatewayImage();
    }

    @Test
    void theImageServesAsNonRootOnAReadOnlyRootWithServiceLinksAndStopsWithServerShutdownAndExitZero() throws Exception {
        Path secrets = Files.createTempDirectory("sse-secrets");
        Files.writeString(secrets.resolve("hs256"), Tokens.SECRET, StandardCharsets.UTF_8);
        secrets.resolve("hs256").toFile().setReadable(true, false);
        secrets.toFile().setExecutable(true, false);
        int port = GatewayProcess.freePort();
        String name = "sse-it-" + port;
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name));
        run.addAll(Podman.limits());
        run.addAll(List.of("--memory", "512m", "--read-only", "--sysctl", "net.core.somaxconn=65535",
            "-p", "127.0.0.1:" + port + ":8080",
            "-v", secrets + ":/run/secrets:ro", "-e", "SSE_AUTH_HS256_SECRET_FILE=/run/secrets/hs256", "-e", "SSE_HEARTBEAT=5s"));
        Map<String, String> links = new TreeMap<>(ServiceLinkVariables.of("sse", "10.96.0.10", 9090));
        links.putAll(ServiceLinkVariables.of("sse-gateway", "10.96.0.12", 8080));
        links.forEach((k, v) -> run.addAll(List.of("-e", k + "=" + v)));
        run.add(image);
        long started = System.nanoTime();
        Podman.run(PODMAN, run.toArray(String[]::new));
        org.eclipse.jetty.client.HttpClient jetty = Clients.started(64);
        try {
            String base = "http://127.0.0.1:" + port;
            JsonObject health = Json.parse(AwaitHttp.status("GET", base + "/health", 200, Duration.ofSeconds(60)));
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("container start to /health 200: " + startMillis + " ms");
            // The README's --sysctl reaches the container's network namespace: the whole backlog the gateway asks.
            assertEquals(ListenBacklog.ASKED, ListenBacklog.ofContainer(name, 8080));
            long heapMax = health.getJsonObject("process").getJsonNumber("heapMaxBytes").longValue();
            assertTrue(heapMax > 200L << 20 && heapMax <= 256L << 20, "half of --memory 512m, not of the host: " + heapMax);
            System.out.println("heap ceiling: " + (heapMax >> 20) + " MB under --memory 512m");
            assertEquals(20000, health.getJsonObject("process").getInt("openFileLimit"));

            String logs = Podman.run(PODMAN, "logs", name);
            assertTrue(logs.contains("ignoring 16 Kubernetes service-link variable(s)"), logs);
            assertEquals("10001", Podman.run(PODMAN, "top", name, "user").lines().skip(1).findFirst().orElse("").strip(),
                "the gateway runs as the image's numeric user");
            assertTrue(Podman.ran(PODMAN, "healthcheck", "run", name).exit() == 0, "the HEALTHCHECK (the jar's probe) passes");

            List<SseClient> streams = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SseClient s = SseClient.connect(jetty, base + "/events?topic=news");
                s.awaitFirstByte(Duration.ofSeconds(10));
                streams.add(s);
            }
            HttpResponse<String> refused = JDK.send(HttpRequest.newBuilder(URI.create(base + "/publish?topic=news"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), "the published port is not loopback to the gateway: a token is needed");
            String token = Tokens.hs256(List.of("news"), List.of(), Duration.ofMinutes(5));
            HttpResponse<String> published = JDK.send(HttpRequest.newBuilder(URI.create(base + "/publish?topic=news"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("hello from a container"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, published.statusCode(), published.body());
            for (SseClient s : streams) {
                assertEquals("hello from a container", s.next(Duration.ofSeconds(10), "the publish").data());
            }

            long stopAt = System.nanoTime();
            Process stop = new ProcessBuilder("podman", "--runtime", "runc", "stop", "-t", "30", name).redirectErrorStream(true).start();
            long lastShutdown = 0;
            for (SseClient s : streams) {
                SseEvent e = s.next(Duration.ofSeconds(30), "server-shutdown");
                assertEquals("server-shutdown", e.event(), "every stream is told to reconnect elsewhere");
                lastShutdown = System.nanoTime();
            }
            assertTrue(stop.waitFor(40, java.util.concurrent.TimeUnit.SECONDS), "podman stop returned");
            long stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
            String exit = Podman.run(PODMAN, "inspect", "--format", "{{.State.ExitCode}}", name).strip();
            System.out.println("stop: last server-shutdown after " + (lastShutdown - stopAt) / 1_000_000 + " ms, container gone after "
                + stopMillis + " ms, exit code " + exit);
            assertEquals("0", exit, "a drained stop exits 0:\n" + Podman.run(PODMAN, "logs", name));
            assertTrue(stopMillis < 30_000, "within the grace period: " + stopMillis);
        } finally {
            jetty.stop();
            Podman.remove(name);
        }
    }

    /**
     * A read-only config file sets the port and a management port: the image's HEALTHCHECK (the
     * jar's probe) follows to the management port, which answers only health checks and metrics.
     */
    @Test
    void theHeapFollowsTheContainerLimitAndAReadOnlyConfigFileSetsThePortsTheProbeFollows() throws Exception {
        Path dir = Files.createTempDirectory("sse-conf");
        Files.writeString(dir.resolve("gateway.conf"), "port = 9090\nmanagement-port = 9091\nheartbeat = 7s\n", StandardCharsets.UTF_8);
        dir.resolve("gateway.conf").toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        int port = GatewayProcess.freePort();
        int managementPort = GatewayProcess.freePort();
        String name = "sse-it-" + port;
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name));
        run.addAll(Podman.limits());
        run.addAll(List.of("--memory", "1g", "--read-only", "-p", "127.0.0.1:" + port + ":9090",
            "-p", "127.0.0.1:" + managementPort + ":9091",
            "-v", dir + ":/etc/sse-gateway:ro", "-e", "SSE_CONFIG=/etc/sse-gateway/gateway.conf", image));
        Podman.run(PODMAN, run.toArray(String[]::new));
        try {
            JsonObject health = Json.parse(AwaitHttp.status("GET", "http://127.0.0.1:" + port + "/health", 200, Duration.ofSeconds(60)));
            long heapMax = health.getJsonObject("process").getJsonNumber("heapMaxBytes").longValue();
            assertTrue(heapMax > 400L << 20 && heapMax <= 512L << 20, "half of --memory 1g: " + heapMax);
            System.out.println("heap ceiling: " + (heapMax >> 20) + " MB under --memory 1g");
            // The image warms up (SSE_WARM_UP=true): serving already, ready once its throwaway node is done.
            assertTrue(health.getBoolean("warmingUp"), "the image warms up: " + health);
            AwaitHttp.status("GET", "http://127.0.0.1:" + managementPort + "/ready", 200, Duration.ofSeconds(60));
            AwaitHttp.status("GET", "http://127.0.0.1:" + managementPort + "/events?topic=a", 404, Duration.ofSeconds(10));
            Podman.run(PODMAN, "healthcheck", "run", name);
            String checks = Podman.run(PODMAN, "inspect", "--format", "{{json .State.Health.Log}}", name);
            assertTrue(checks.contains("127.0.0.1:9091/health answered 200"), "the probe asked the management port: " + checks);
        } finally {
            Podman.remove(name);
        }
    }
}
