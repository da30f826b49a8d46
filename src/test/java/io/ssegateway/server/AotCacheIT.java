package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, point 5: {@code java -jar sse-gateway.jar aot-cache} makes the JVM's ahead-of-time
 * cache on JDK 25, the README's {@code java -jar} then runs the gateway with it, and a node whose
 * JVM cannot use its cache (the jar changed since) says so at start and serves all the same. Each
 * runs a copy of the jar in a directory of its own, as an installation beside which the cache lives.
 */
class AotCacheIT {
    private static final Path JDK25 = JarIT.JDK25;
    private static org.eclipse.jetty.client.HttpClient http;
    private Path installation;

    @BeforeAll
    static void client() throws Exception {
        http = Clients.started(4);
    }

    @AfterAll
    static void stopClient() throws Exception {
        http.stop();
    }

    @Test
    void aCacheMadeByTheJarIsUsedByAPlainJavaJarAndOneThatNoLongerFitsIsNamed() throws Exception {
        assertTrue(Files.isDirectory(JDK25), "no JDK 25 at " + JDK25 + ": the java-maven-svc machines ship Temurin 25 there");
        Path jar = installedJar();
        Path cache = jar.resolveSibling(AotCache.FILE_NAME);

        // A place it cannot write is named before the training runs.
        Run unwritable = run(JDK25, jar, "aot-cache", "--file", "/no-such-directory/sse-gateway.aot");
        assertEquals(1, unwritable.exit(), unwritable.output());
        assertTrue(unwritable.output().contains("cannot write /no-such-directory/sse-gateway.aot"), unwritable.output());

        Run made = run(JDK25, jar, "aot-cache");
        assertEquals(0, made.exit(), made.output());
        assertTrue(made.output().contains("wrote " + cache) && made.output().contains(JvmProfile.COMPACT_HEADERS), made.output());
        assertTrue(Files.size(cache) > 1 << 20, "a cache of " + Files.size(cache) + " B");
        try (var partials = Files.list(jar.getParent())) {
            assertEquals(List.of(), partials.filter(f -> f.getFileName().toString().contains(".partial-")).toList());
        }

        try (GatewayProcess gw = plainJavaJar(JDK25, jar)) {
            String command = String.join(" ", JvmProfileIT.child(gw).orElseThrow().info().arguments().orElseThrow());
            assertTrue(command.contains(AotCache.READ_FLAG + cache), command);
            assertTrue(gw.awaitLine("AOT cache ", Duration.ofSeconds(10)).contains("AOT cache " + cache + " in use"), gw.output());
            JarIT.assertStreamsAndPublishes(http, gw);
        }

        // As after an upgrade that replaced the jar: the JVM refuses the cache, the node names it and serves.
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        try (GatewayProcess gw = plainJavaJar(JDK25, jar)) {
            String line = gw.awaitLine("AOT cache ", Duration.ofSeconds(10));
            assertTrue(line.contains("WARN") && line.contains("AOT cache " + cache + " not used") && line.contains("aot-cache"), line);
            JarIT.assertStreamsAndPublishes(http, gw);
        }
    }

    @Test
    void onJdk17TheCommandRefusesAndANamedCacheIsReportedUnused() throws Exception {
        Path jar = installedJar();
        Path java17 = Path.of(System.getProperty("java.home"));
        assertEquals(17, Runtime.version().feature(), "the build's JDK is the oldest one supported");
        Run refused = run(java17, jar, "aot-cache");
        assertEquals(1, refused.exit(), refused.output());
        assertTrue(refused.output().contains("needs JDK 25 or later") && refused.output().contains("is JDK 17"), refused.output());
        assertFalse(Files.exists(jar.resolveSibling(AotCache.FILE_NAME)));

        Path named = jar.resolveSibling("named.aot");
        Files.writeString(named, "not a cache");
        try (GatewayProcess gw = plainJavaJar(java17, jar, "--aot-cache", named.toString())) {
            assertTrue(gw.output().contains("aot-cache " + named + " is not used: an AOT cache needs JDK 25"), gw.output());
            String command = String.join(" ", JvmProfileIT.child(gw).orElseThrow().info().arguments().orElseThrow());
            assertFalse(command.contains("AOTCache"), command);
        }
    }

    /** A copy of the packaged jar in a new directory of its own under target, removed after the test. */
    private Path installedJar() throws Exception {
        installation = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "aot-cache-");
        return Files.copy(GatewayProcess.jar(), installation.resolve("sse-gateway.jar"));
    }

    @AfterEach
    void removeInstallation() throws Exception {
        if (installation != null) {
            try (var files = Files.list(installation)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(installation);
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path javaHome, Path jar, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        return new Run(p.exitValue(), output);
    }

    /** The README's run command: java -jar with no JVM flags, on a free port; waits until /health answers. */
    private static GatewayProcess plainJavaJar(Path javaHome, Path jar, String... settings) throws Exception {
        int port = GatewayProcess.freePort();
        List<String> args = new java.util.ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
        args.addAll(List.of(settings));
        GatewayProcess gw = GatewayProcess.launch(javaHome.toString(), List.of(), jar, port, Map.of(), args, 0);
        gw.awaitHealthy(Duration.ofSeconds(30));
        return gw;
    }
}
