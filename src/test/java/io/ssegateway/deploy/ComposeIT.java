package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.auth.Tokens;
import io.ssegateway.testing.AwaitHttp;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.ListenBacklog;
import io.ssegateway.testing.Podman;
import io.ssegateway.testing.Processes;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
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
import org.junit.jupiter.api.Test;

/**
 * The top-level {@code compose.yaml} brought up by Debian's podman-compose as a newcomer does:
 * two gateway nodes on Redis behind nginx with the shipped files. Redis and nginx are Debian's
 * packages in a stand-in image (no registry here), passed as REDIS_IMAGE and NGINX_IMAGE.
 */
class ComposeIT {
    private static final Duration COMPOSE = Duration.ofMinutes(3);
    private static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aStreamThroughNginxGetsPublishesFromEitherNodeAndResumesOnTheOtherWhenItsNodeStops() throws Exception {
        String gateway = Podman.gatewayImage();
        String services = Podman.debianImage(Podman.SERVICES_BASE, "redis-server,nginx-light");
        Path secret = Files.createTempFile("hs256", ".secret");
        Files.writeString(secret, "0123456789abcdef0123456789abcdef-test-secret", StandardCharsets.UTF_8);
        secret.toFile().setReadable(true, false);
        int nginx = GatewayProcess.freePort();
        int node1 = GatewayProcess.freePort();
        int node2 = GatewayProcess.freePort();
        String project = "sse-it-" + nginx;
        // This sandbox refuses a container's default process and open-file limits (podman raises them):
        // every container here runs with explicit ones, as podman's own configuration can give them.
        Path containersConf = Files.createTempFile("containers", ".conf");
        Files.writeString(containersConf, "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=4096:4096\"]\n"
            + "[engine]\nruntime = \"runc\"\n");
        Map<String, String> env = Map.of("CONTAINERS_CONF", containersConf.toString(), "GATEWAY_IMAGE", gateway, "REDIS_IMAGE", services, "NGINX_IMAGE", services,
            "SSE_SECRET_FILE", secret.toString(), "NGINX_PORT", Integer.toString(nginx), "NODE1_PORT", Integer.toString(node1),
            "NODE2_PORT", Integer.toString(node2));
        org.eclipse.jetty.client.HttpClient jetty = Clients.started(64);
        try {
            Processes.Ran up = compose(env, project, "up", "-d");
            assertEquals(0, up.exit(), up.output());
            AwaitHttp.status("GET", "http://127.0.0.1:" + node1 + "/ready", 200, Duration.ofSeconds(90));
            AwaitHttp.status("GET", "http://127.0.0.1:" + node2 + "/ready", 200, Duration.ofSeconds(90));
            // The node's whole accept queue: compose.yaml's sysctl reaches its network namespace.
            assertEquals(ListenBacklog.ASKED, ListenBacklog.ofContainer(project + "_gateway-1_1", 8080));
            String events = "http://127.0.0.1:" + nginx + "/events?topic=news";
            AwaitHttp.status("HEAD", events.replace("/events?topic=news", "/events?topic=warmup"), 200, Duration.ofSeconds(30));

            List<SseClient> streams = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SseClient s = SseClient.connect(jetty, events);
                s.awaitFirstByte(Duration.ofSeconds(10));
                streams.add(s);
            }
            String token = Tokens.hs256(List.of("news"), List.of(), Duration.ofMinutes(10));
            publish(node1, token, "one");
            publish(node2, token, "two");
            List<String> lastIds = new ArrayList<>();
            for (SseClient s : streams) {
                assertEquals("one", s.next(Duration.ofSeconds(10), "from node 1").data());
                SseEvent two = s.next(Duration.ofSeconds(10), "from node 2");
                assertEquals("two", two.data());
                lastIds.add(two.id());
            }

            // Stop node 1: its streams get server-shutdown, come back through nginx to node 2 with their
            // Last-Event-ID, and get what was published meanwhile; node 2's streams never left.
            Process stop = new ProcessBuilder("env", "CONTAINERS_CONF=" + containersConf, "podman-compose", "-p", project,
                "-f", "compose.yaml", "stop", "-t", "30", "gateway-1").redirectErrorStream(true).start();
            assertTrue(stop.waitFor(40, java.util.concurrent.TimeUnit.SECONDS), "podman stop returned");
            int moved = 0;
            for (int i = 0; i < streams.size(); i++) {
                // Node 2 sent nothing meanwhile: a stream with an event waiting was on node 1.
                if (streams.get(i).pendingEvents() > 0) {
                    assertEquals("server-shutdown", streams.get(i).next().event());
                    streams.get(i).close();
                    streams.set(i, null);
                    moved++;
                }
            }
            assertTrue(moved > 0 && moved < streams.size(), "nginx spread the streams over both nodes: " + moved + " moved");
            publish(node2, token, "three");
            publish(node2, token, "four");
            for (int i = 0; i < streams.size(); i++) {
                SseClient s = streams.get(i);
                if (s == null) {
                    s = SseClient.connect(jetty, events, lastIds.get(i));
                    s.awaitFirstByte(Duration.ofSeconds(10));
                    streams.set(i, s);
                }
                assertEquals("three", s.next(Duration.ofSeconds(10), "three").data(), "nothing lost, nothing repeated");
                assertEquals("four", s.next(Duration.ofSeconds(10), "four").data());
            }
            System.out.println(moved + " of " + streams.size() + " streams resumed on node 2 through nginx with 0 lost, 0 duplicated");
        } finally {
            jetty.stop();
            Processes.Ran down = compose(env, project, "down", "-t", "0");
            System.out.println(down.output());
            // podman-compose 1.0.3 leaves the project's network behind; each holds a subnet.
            Podman.ran(Duration.ofMinutes(1), "network", "rm", "--force", project + "_default");
        }
    }

    private static Processes.Ran compose(Map<String, String> env, String project, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of("podman-compose", "-p", project, "-f", "compose.yaml"));
        command.addAll(List.of(args));
        return Processes.run(command, COMPOSE);
    }

    private static void publish(int port, String token, String data) throws Exception {
        HttpResponse<String> r = JDK.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/publish?topic=news"))
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(data)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }
}
