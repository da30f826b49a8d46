package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.ops.YoungGeneration;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, point 5: {@code java -jar target/sse-gateway.jar} with no JVM flags, the README's run
 * command, runs the gateway under the production JVM profile, stops as one process would, and
 * never leaves a JVM behind.
 */
class JvmProfileIT {
    private static org.eclipse.jetty.client.HttpClient http;

    @BeforeAll
    static void client() throws Exception {
        http = Clients.started(4);
    }

    @AfterAll
    static void stopClient() throws Exception {
        http.stop();
    }

    /** The JVM that serves: the launched one's only child, if it has one. */
    static Optional<ProcessHandle> child(GatewayProcess gw) {
        List<ProcessHandle> children = gw.process().children().toList();
        assertTrue(children.size() <= 1, "children: " + children);
        return children.stream().findFirst();
    }

    @Test
    void aPlainJavaJarServesFromAJvmWithTheProductionProfileAndSigtermDrainsIt() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start(List.of(), "--drain-timeout", "3s")) {
            ProcessHandle served = child(gw).orElseThrow(() -> new AssertionError("no JVM with the profile was started"));
            String command = String.join(" ", served.info().arguments().orElseThrow());
            for (String flag : JvmProfile.flags()) {
                assertTrue(command.contains(flag), flag + " missing from " + command);
            }
            SseClient c = SseClient.connect(http, gw.url("/events?topic=profile"));
            c.nextComment(Duration.ofSeconds(10));
            long start = System.nanoTime();
            int exit = gw.terminate(Duration.ofSeconds(15));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            SseEvent e = c.next(Duration.ofSeconds(5), "server-shutdown");
            assertEquals("server-shutdown", e.event());
            assertEquals(0, exit, "the drained gateway's status is the launcher's: " + gw.output());
            assertTrue(ms < 6000, "exited " + ms + " ms after SIGTERM");
            assertTrue(served.onExit().get(5, TimeUnit.SECONDS) != null && !served.isAlive());
            assertTrue(gw.output().contains("production profile") && gw.output().contains("shutdown complete"), gw.output());
        }
    }

    /**
     * A node configured for a million streams gets a young generation for them (one young
     * collection per broadcast to all, not seven); one started with the profile's file and no
     * -Xmn of its own says so at start, with the flag to add.
     */
    @Test
    void aNodeConfiguredForAMillionStreamsGetsAYoungGenerationForThem() throws Exception {
        String million = "1001000";
        String young = "-Xmn" + YoungGeneration.megabytesFor(Integer.parseInt(million)) + "m";
        assertEquals("-Xmn489m", young);
        try (GatewayProcess gw = GatewayProcess.start(List.of(), "--max-streams", million)) {
            List<String> flags = List.of(child(gw).orElseThrow().info().arguments().orElseThrow());
            assertTrue(flags.contains(young) && !flags.contains("-Xmn64m"), flags.toString());
        }
        String profile = Path.of("jvm/sse-gateway.args").toAbsolutePath().toString();
        try (GatewayProcess gw = GatewayProcess.start(List.of("@" + profile), "--max-streams", million)) {
            assertTrue(gw.output().contains("the young generation (64 MB) is small for max-streams 1,001,000")
                && gw.output().contains("start the JVM with " + young + " after @jvm/sse-gateway.args"), gw.output());
        }
        try (GatewayProcess gw = GatewayProcess.start(List.of("@" + profile, young), "--max-streams", million)) {
            assertTrue(!gw.output().contains("young generation"), gw.output());
        }
    }

    @Test
    void aKilledLauncherTakesTheGatewayWithIt() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start(List.of(), "--drain-timeout", "1s")) {
            ProcessHandle served = child(gw).orElseThrow();
            gw.process().destroyForcibly(); // SIGKILL: no hook runs in the launcher
            served.onExit().get(20, TimeUnit.SECONDS);
            assertTrue(!served.isAlive(), "the gateway JVM outlived its launcher");
        }
    }

    @Test
    void chosenMemoryFlagsAgentsOrJvmProfileOffRunInTheLaunchedJvm() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start(List.of("-Xmx256m"))) {
            assertTrue(child(gw).isEmpty(), "-Xmx given: no second JVM");
        }
        try (GatewayProcess gw = GatewayProcess.start(List.of("-XX:+UseSerialGC"))) {
            assertTrue(child(gw).isEmpty(), "a collector chosen: no second JVM");
        }
        try (GatewayProcess gw = GatewayProcess.start(List.of(), "--jvm-profile", "off")) {
            assertTrue(child(gw).isEmpty(), "--jvm-profile off: no second JVM");
        }
        // A developer's debug run: the gateway must run in the JVM the debugger attaches to.
        try (GatewayProcess gw = GatewayProcess.start(List.of("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0"))) {
            assertTrue(child(gw).isEmpty(), "a debugger agent: no second JVM");
        }
    }
}
