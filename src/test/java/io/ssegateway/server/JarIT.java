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
    /** Where the java-maven-svc machines have Temurin 25. */
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
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
            assertStreamsAndPublishes(http, gw);
            assertTrue(gw.output().contains("max-streams"), "capacity is logged at start");
        }
    }

    @Test
    void sseEnvironmentVariableSetsThePort() throws Exception {
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port,
                Map.of("SSE_PORT", Integer.toString(port), "SSE_HOST", "127.0.0.1"), List.of())) {
            gw.awaitHealthy(Duration.ofSeconds(30));
            assertStreamsAndPublishes(http, gw);
        }
    }

    /** Issue 13, point 2: the production profile is accepted by both JDKs the project supports, and the node serves. */
    @Test
    void theProductionProfileRunsOnJdk17And25() throws Exception {
        for (String javaHome : List.of(System.getProperty("java.home"), JDK25.toString())) {
            int port = GatewayProcess.freePort();
            Process p = new ProcessBuilder(java.nio.file.Path.of(javaHome, "bin", "java").toString(), "@jvm/sse-gateway.args",
                "-XX:+PrintCommandLineFlags", "-jar", System.getProperty("it.jar", "target/sse-gateway.jar"),
                "--port", Integer.toString(port), "--host", "127.0.0.1").redirectErrorStream(true).start();
            try {
                java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
                String flags = out.readLine();
                assertTrue(flags != null && flags.contains("-XX:+UseParallelGC") && flags.contains("-XX:NewSize=67108864"), flags);
                String line;
                while ((line = out.readLine()) != null && !line.contains("listening on port")) {
                    // wait for the node
                }
                assertTrue(line != null, "started on " + javaHome);
            } finally {
                p.destroy();
                p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void jarRunsOnJdk25WithCompactObjectHeaders() throws Exception {
        assertTrue(Files.isDirectory(JDK25), "no JDK 25 at " + JDK25 + ": the java-maven-svc machines ship Temurin 25 there");
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(JDK25.toString(), port,
                Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseCompactObjectHeaders"),
                List.of("--port", Integer.toString(port), "--host", "127.0.0.1"))) {
            gw.awaitHealthy(Duration.ofSeconds(30));
            assertStreamsAndPublishes(http, gw);
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
            assertEquals(0, exit, "a stop that was asked for and drained is a success: exit 0, not the JVM's 143");
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

    /** Issue 21, point 7: a port in use is named, with the settings that choose another. */
    @Test
    void aPortInUseIsNamedWithTheSettingsThatChooseAnother() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            int port = taken.getLocalPort();
            try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port,
                    Map.of(), List.of("--port", Integer.toString(port)))) {
                assertTrue(gw.process().waitFor(30, TimeUnit.SECONDS));
                assertEquals(1, gw.process().exitValue());
                String out = gw.output();
                assertTrue(out.contains(":" + port + " (") && out.contains("--port N (SSE_PORT)"), out);
            }
        }
    }

    /** Issue 21, point 7: with --log-format json the start-up line is a JSON line like the rest. */
    @Test
    void theListeningLineFollowsTheLogFormat() throws Exception {
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port,
                Map.of(), List.of("--port", Integer.toString(port), "--log-format", "json"))) {
            String line = gw.awaitLine("listening on port", Duration.ofSeconds(30));
            assertEquals("listening on port " + port, Json.field(line, "formattedMessage"), line);
        }
    }

    /**
     * With the open-file limit lowered to 600, 1,300 clients connecting at once never make the
     * process hit EMFILE: the connection limit keeps the rest in the kernel's backlog, refused
     * clients get 503, and the node keeps answering.
     */
    @Test
    void aConnectStormUnderALowOpenFileLimitNeverHitsEmfile() throws Exception {
        int port = GatewayProcess.freePort();
        // More than twice the limit, yet within what the connection limit (408) plus the accept
        // backlog (4096, or the kernel's somaxconn if lower) hold, so every connect completes
        // without the kernel dropping SYNs.
        int clients = 1300;
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port, Map.of(),
                List.of("--port", Integer.toString(port), "--host", "127.0.0.1"), 600)) {
            gw.awaitHealthy(Duration.ofSeconds(30));
            assertTrue(gw.output().contains("max-streams 344 = open-file limit 600"), gw.output());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(64);
            List<java.net.Socket> sockets = new java.util.ArrayList<>();
            try {
                // All clients connect and send their request before any answer is read.
                for (int i = 0; i < clients; i++) {
                    java.net.Socket s = new java.net.Socket();
                    sockets.add(s);
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
                    s.setSoTimeout(5000);
                    s.getOutputStream().write("GET /events?topic=storm HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
                for (java.net.Socket s : sockets) {
                    answers.add(pool.submit(() -> {
                        String head = io.ssegateway.testing.RawHttp.head(s.getInputStream());
                        if (!head.startsWith("HTTP/1.1 200") || head.contains("\nConnection: close")) {
                            s.close(); // as a real client does after "Connection: close" (the busy answer)
                            return "refused";
                        }
                        return "stream";
                    }));
                }
                int ok = 0;
                for (java.util.concurrent.Future<String> f : answers) {
                    try {
                        if (f.get().equals("stream")) {
                            ok++;
                        }
                    } catch (java.util.concurrent.ExecutionException waitedInBacklog) {
                        // a client still queued in the backlog when its read timed out
                    }
                }
                assertEquals(344, ok, "exactly max-streams streams were admitted");
                HttpResponse<String> health = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/health")))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), "the node keeps answering");
                assertTrue(!gw.output().contains("Too many open files"), "no EMFILE: " + gw.output());
            } finally {
                pool.shutdownNow();
                for (java.net.Socket s : sockets.toArray(new java.net.Socket[0])) {
                    s.close();
                }
            }
        }
    }

    @Test
    void requiredStreamsBeyondTheOpenFileLimitStopStartupWithTheFix() throws Exception {
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port, Map.of(),
                List.of("--port", Integer.toString(port), "--required-streams", "5000"), 1024)) {
            assertTrue(gw.process().waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, gw.process().exitValue());
            String out = gw.output();
            assertTrue(out.contains("SSE_REQUIRED_STREAMS=5000") && out.contains("1024"), out);
            assertTrue(out.contains("LimitNOFILE=") && out.contains("ulimit -n 5256") && out.contains("--ulimit nofile=5256"), out);
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

    /** A stream on {@code gw} gets what a publish to it stores, with the id the publish answered. */
    static void assertStreamsAndPublishes(org.eclipse.jetty.client.HttpClient http, GatewayProcess gw) throws Exception {
        try (SseClient c = SseClient.connect(http, gw.url("/events?topic=news"))) {
            c.nextComment(Duration.ofSeconds(10));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=news")))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("news", Json.field(r.body(), "topic"));
            SseEvent e = c.next();
            assertEquals("hello", e.data());
            assertEquals(Json.field(r.body(), "id"), e.id());
        }
    }
}
