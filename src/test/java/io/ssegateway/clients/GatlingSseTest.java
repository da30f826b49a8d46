package io.ssegateway.clients;

import static io.ssegateway.testing.MercureTokens.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.clients.gatling.BroadcastSimulation;
import io.ssegateway.clients.gatling.FirstMessageSimulation;
import io.ssegateway.testing.MercureHttp;
import io.ssegateway.testing.MercureTokens;
import io.ssegateway.testing.Processes;
import io.ssegateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gatling's own SSE client (Maven Central's gatling-http-java), run in a JVM of its own as its
 * launcher runs it; it exits non-zero if a check failed.
 * <ul>
 *   <li>Issue 21, point 1: a check on the first message of a stream sees the first published event at
 *       both doors, not an empty message made of the stream's {@code retry:} block
 *       ({@link FirstMessageSimulation}).</li>
 *   <li>Issue 25, as a Gatling user load-tests a node: {@value #USERS} users connecting at once each
 *       get every broadcast, whole and in order ({@link BroadcastSimulation}; 19,000 users against
 *       the jar by hand, docs/performance.md).</li>
 * </ul>
 */
class GatlingSseTest {
    private static final int USERS = 2000;

    @TempDir
    Path dir;

    @Test
    void gatlingsFirstMessageIsTheFirstPublishedEventAtTheNativeDoor() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            String out = runFirstMessage(gw, "/events?topic=gatling", "/publish?topic=gatling", "hello", "text/plain", "");
            assertTrue(out.contains("first message"), out);
        }
    }

    @Test
    void gatlingsFirstMessageIsTheFirstPublishedUpdateAtTheMercureDoor() throws Exception {
        MercureTokens tokens = MercureTokens.create(dir);
        try (TestGateway gw = TestGateway.start(tokens.settings())) {
            String topic = "https://example.com/gatling";
            String out = runFirstMessage(gw, "/.well-known/mercure?match=" + MercureHttp.enc(topic), "/.well-known/mercure",
                MercureHttp.form("topic", topic, "data", "hello"), "application/x-www-form-urlencoded",
                tokens.token(detail(List.of("publish"), "*")));
            assertTrue(out.contains("first message"), out);
        }
    }

    @Test
    void everyGatlingUserGetsEveryBroadcastWholeAndInOrder() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            String out = runGatling(BroadcastSimulation.class, List.of("-Dgateway.url=" + gw.url(""),
                "-Dgateway.users=" + USERS, "-Dgateway.events=3"));
            assertTrue(out.contains("event 3"), out);
        }
    }

    private String runFirstMessage(TestGateway gw, String stream, String publish, String body, String contentType,
                                   String token) throws Exception {
        return runGatling(FirstMessageSimulation.class, List.of("-Dgateway.url=" + gw.url(""), "-Dgateway.stream=" + stream,
            "-Dgateway.publish=" + publish, "-Dgateway.body=" + body, "-Dgateway.contentType=" + contentType,
            "-Dgateway.token=" + token));
    }

    private String runGatling(Class<?> simulation, List<String> properties) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // Gatling's own launchers open java.lang to it (its stats writer reads String internals).
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(properties);
        cmd.addAll(List.of("io.gatling.app.Gatling", "--simulation", simulation.getName(),
            "--results-folder", dir.resolve("gatling").toString(), "--no-reports"));
        Processes.Ran gatling = Processes.run(cmd, Duration.ofMinutes(2));
        assertEquals(0, gatling.exit(), "Gatling's checks and assertions:\n" + gatling.output());
        return gatling.output();
    }
}
