package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.ListenBacklog;
import io.ssegateway.testing.NatsServer;
import io.ssegateway.testing.SseClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, point 6: the built WAR in real Jetty (jetty-home with the shipped {@code jetty-base/})
 * and Tomcat 11 and 10.1 distributions from Maven Central, each as its own process on a free loopback
 * port: stream, publish and resume under the context path.
 */
class DistributionsIT {
    private static final Path WAR = Path.of(System.getProperty("it.war", "target/sse-gateway.war")).toAbsolutePath();
    private static final int HEARTBEAT_SECONDS = 2;
    private final HttpClient jdk = HttpClient.newHttpClient();

    @Test
    void warRunsInJettyHomeWithTheShippedJettyBase() throws Exception {
        Path home = Path.of(System.getProperty("jetty.home")).toAbsolutePath();
        Path base = copyTree(Path.of("jetty-base"), Path.of("target", "dist", "jetty-base-run"));
        Files.copy(WAR, base.resolve("webapps/sse-gateway.war"), StandardCopyOption.REPLACE_EXISTING);
        int port = GatewayProcess.freePort();
        ProcessBuilder jettyBuilder = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(),
            "jetty.home=" + home, "jetty.base=" + base, "jetty.http.port=" + port, "jetty.http.host=127.0.0.1")
            .directory(base.toFile()).redirectErrorStream(true).redirectOutput(base.resolve("jetty.log").toFile());
        jettyBuilder.environment().put("SSE_HEARTBEAT", HEARTBEAT_SECONDS + "s");
        jettyBuilder.environment().put("SSE_MERCURE", "true");
        Process jetty = jettyBuilder.start();
        try {
            exercise("http://127.0.0.1:" + port + "/sse-gateway", jetty, base.resolve("jetty.log"));
            exerciseMercure("http://127.0.0.1:" + port + "/sse-gateway");
            // Issue 13, point 6: the jetty-base settings take effect; sendServerVersion=false means no Server header.
            HttpResponse<String> health = jdk.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/sse-gateway/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(java.util.Optional.empty(), health.headers().firstValue("Server"), "no Server header");
            assertEquals(ListenBacklog.expected(), ListenBacklog.of(port), "jetty-base's accept queue is what the jar asks");
            measureRelease("jetty-home " + System.getProperty("jetty.home").replaceAll(".*jetty-home-", ""),
                "http://127.0.0.1:" + port + "/sse-gateway", port);
        } finally {
            stop(jetty);
        }
    }

    /** Tomcat 11 with the NATS broker: the WAR's NATS client (and its NKey crypto) load in the webapp. */
    @Test
    void warRunsInTomcat11WithNats() throws Exception {
        try (NatsServer nats = NatsServer.start()) {
            runInTomcat(Path.of(System.getProperty("tomcat.home")), "tomcat11-base",
                Map.of("SSE_BROKER", "nats", "SSE_NATS_URL", nats.url(), "SSE_MERCURE", "true"));
            try (Connection c = Nats.connect(nats.url())) {
                long stored = c.jetStreamManagement().getStreamInfo("sse").getStreamState().getMsgCount();
                assertTrue(stored >= 2, "the WAR's publishes are in the JetStream stream: " + stored);
            }
        }
    }

    @Test
    void warRunsInTomcat10() throws Exception {
        runInTomcat(Path.of(System.getProperty("tomcat10.home")), "tomcat10-base", Map.of());
    }

    private void runInTomcat(Path tomcatHome, String baseName, Map<String, String> env) throws Exception {
        Path home = tomcatHome.toAbsolutePath();
        Path base = Path.of("target", "dist", baseName).toAbsolutePath();
        copyTree(home.resolve("conf"), base.resolve("conf"));
        for (String dir : List.of("logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(dir));
        }
        int port = GatewayProcess.freePort();
        Path serverXml = base.resolve("conf/server.xml");
        // The README's connector (limits matched to max-streams), in place of Tomcat's default one.
        java.util.regex.Matcher readme = java.util.regex.Pattern.compile("(?s)```xml\\n(<Connector .*?/>)\\n```")
            .matcher(Files.readString(Path.of("README.md")));
        assertTrue(readme.find(), "the README's Tomcat connector");
        Files.writeString(serverXml, Files.readString(serverXml)
            .replaceFirst("(?s)<Connector port=\"8080\".*?/>", java.util.regex.Matcher.quoteReplacement(readme.group(1)))
            .replace("port=\"8005\"", "port=\"-1\"")
            .replace("port=\"8080\"", "port=\"" + port + "\" address=\"127.0.0.1\""));
        assertTrue(Files.readString(serverXml).contains("maxConnections=\"100500\""));
        Files.copy(WAR, base.resolve("webapps/sse-gateway.war"), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/catalina.sh").toString(), "run")
            .redirectErrorStream(true).redirectOutput(base.resolve("logs/console.log").toFile());
        pb.environment().put("CATALINA_HOME", home.toString());
        pb.environment().put("CATALINA_BASE", base.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SSE_HEARTBEAT", HEARTBEAT_SECONDS + "s");
        pb.environment().putAll(env);
        Process tomcat = pb.start();
        try {
            exercise("http://127.0.0.1:" + port + "/sse-gateway", tomcat, base.resolve("logs/console.log"));
            assertEquals(ListenBacklog.expected(), ListenBacklog.of(port), "the README connector's accept queue is what the jar asks");
            if ("true".equals(env.get("SSE_MERCURE"))) {
                exerciseMercure("http://127.0.0.1:" + port + "/sse-gateway");
            }
            measureRelease("tomcat " + home.getFileName(), "http://127.0.0.1:" + port + "/sse-gateway", port);
        } finally {
            stop(tomcat);
        }
    }

    private void exercise(String base, Process container, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            assertTrue(container.isAlive(), "container exited: " + Files.readString(log));
            try {
                status = jdk.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        assertEquals(200, status, "gateway healthy in the container: " + Files.readString(log));
        while (System.nanoTime() < deadline && jdk.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
            Thread.sleep(200); // the broker connects after start-up
        }
        org.eclipse.jetty.client.HttpClient http = Clients.started(8);
        try {
            String first;
            try (SseClient c = SseClient.connect(http, base + "/events?topic=dist")) {
                assertEquals("text/event-stream;charset=utf-8",
                    c.responseHeaders().get("Content-Type").replace(" ", "").toLowerCase(java.util.Locale.ROOT));
                c.nextComment(Duration.ofSeconds(10));
                first = publish(base, "one");
                io.ssegateway.testing.SseEvent e = c.next();
                assertEquals(first, e.id());
                assertEquals("one", e.data());
            }
            String second = publish(base, "two");
            try (SseClient resumed = SseClient.connect(http, base + "/events?topic=dist", first)) {
                assertEquals(second, resumed.next().id(), "resume under the context path");
            }
        } finally {
            http.stop();
        }
    }

    /** The Mercure door in the container: a subscription under the context path gets an update published there. */
    private void exerciseMercure(String base) throws Exception {
        org.eclipse.jetty.client.HttpClient http = Clients.started(8);
        try (SseClient c = SseClient.connect(http, base + "/.well-known/mercure?match_urlpattern="
            + java.net.URLEncoder.encode("https://example.com/dist/:id", java.nio.charset.StandardCharsets.UTF_8))) {
            assertEquals(200, c.response().getStatus());
            c.nextComment(Duration.ofSeconds(10));
            HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/mercure"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("topic=https%3A%2F%2Fexample.com%2Fdist%2F1&data=in+a+WAR&id=urn%3Awar"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            io.ssegateway.testing.SseEvent e = c.next();
            assertEquals("urn:war", e.id());
            assertEquals("in a WAR", e.data());
        } finally {
            http.stop();
        }
    }

    /**
     * How long a container holds a stream after its client closed the connection (FIN), with no
     * event to write: in a WAR the gateway has no way of its own to read the connection, so this is
     * what the container gives. Printed for docs/architecture.md; bounded by two heartbeats.
     */
    private void measureRelease(String container, String base, int port) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream().write("GET /sse-gateway/events?topic=release HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            byte[] some = new byte[64];
            assertTrue(s.getInputStream().read(some) > 0, "the stream started");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (openStreams(base) != 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, openStreams(base));
        }
        long closed = System.nanoTime();
        long deadline = closed + Duration.ofSeconds(4L * HEARTBEAT_SECONDS).toNanos();
        while (openStreams(base) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long ms = (System.nanoTime() - closed) / 1_000_000;
        System.out.println(container + ": a closed client's stream was released after " + ms + " ms (heartbeat "
            + HEARTBEAT_SECONDS + " s)");
        assertEquals(0, openStreams(base), container + " released the stream within two heartbeats");
        assertTrue(ms <= 2000L * HEARTBEAT_SECONDS + 1000, container + ": " + ms + " ms");
    }

    private int openStreams(String base) throws Exception {
        String metrics = jdk.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        return (int) io.ssegateway.bench.PrometheusText.parse(metrics).value("sse_streams_open");
    }

    private String publish(String base, String data) throws Exception {
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(base + "/publish?topic=dist"))
            .POST(HttpRequest.BodyPublishers.ofString(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.field(r.body(), "id");
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        Path target = to.toAbsolutePath();
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }
}
