package io.ssegateway.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes sharing one Redis. Node B is killed with SIGKILL while node A
 * publishes; B's clients reconnect to node C with Last-Event-ID, and what each client received
 * from B and then C is exactly what was published: nothing lost, nothing twice.
 */
class NodeKillIT {
    private static final int CLIENTS = 20;
    private static final int EVENTS = 1000;

    @Test
    void clientsOfAKilledNodeResumeOnAnotherWithoutLossOrDuplicate() throws Exception {
        try (RedisServer redis = RedisServer.start();
             GatewayProcess a = node(redis);
             GatewayProcess b = node(redis);
             GatewayProcess c = node(redis)) {
            HttpClient http = Clients.started(CLIENTS * 2 + 8);
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                List<SseClient> onB = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    SseClient client = SseClient.connect(http, b.url("/events?topic=kill"));
                    client.nextComment(Duration.ofSeconds(10));
                    onB.add(client);
                }
                Future<List<String>> publisher = pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < EVENTS; i++) {
                        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(a.url("/publish?topic=kill")))
                            .POST(HttpRequest.BodyPublishers.ofString("event " + i)).build(),
                            HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, r.statusCode(), r.body());
                        ids.add(Json.field(r.body(), "id"));
                        Thread.sleep(2);
                    }
                    return ids;
                });
                Thread.sleep(800);
                b.process().destroyForcibly(); // SIGKILL: no drain, no goodbye
                b.process().waitFor(10, TimeUnit.SECONDS);

                List<List<String>> received = new ArrayList<>();
                int fromB = 0;
                List<SseClient> onC = new ArrayList<>();
                for (SseClient client : onB) {
                    client.done().get(10, TimeUnit.SECONDS);
                    List<String> got = new ArrayList<>(client.drain().stream().map(SseEvent::id).toList());
                    received.add(got);
                    fromB += got.size();
                    String resumeFrom = got.isEmpty() ? null : got.get(got.size() - 1);
                    onC.add(SseClient.connect(http, c.url("/events?topic=kill"), resumeFrom));
                }
                List<String> published = publisher.get(60, TimeUnit.SECONDS);
                String last = published.get(published.size() - 1);
                int delivered = 0;
                int duplicated = 0;
                int lost = 0;
                for (int i = 0; i < CLIENTS; i++) {
                    List<String> got = received.get(i);
                    while (got.isEmpty() || !got.get(got.size() - 1).equals(last)) {
                        got.add(onC.get(i).next(Duration.ofSeconds(30), "event " + last).id());
                    }
                    Set<String> unique = new HashSet<>(got);
                    delivered += got.size();
                    duplicated += got.size() - unique.size();
                    lost += (int) published.stream().filter(id -> !unique.contains(id)).count();
                    assertEquals(published, got, "client " + i + ": exactly what was published, in order");
                    onC.get(i).close();
                }
                System.out.printf("node kill: published %d, clients %d, delivered %d (%d by B before SIGKILL, %d by C after"
                    + " resume; expected %d), duplicated %d, lost %d%n", published.size(), CLIENTS, delivered, fromB,
                    delivered - fromB, published.size() * CLIENTS, duplicated, lost);
                assertTrue(fromB > 0 && fromB < EVENTS * CLIENTS, "B was killed mid-stream: " + fromB);
            } finally {
                pool.shutdownNow();
                http.stop();
            }
        }
    }

    private static GatewayProcess node(RedisServer redis) throws Exception {
        int port = GatewayProcess.freePort();
        GatewayProcess p = GatewayProcess.launch(System.getProperty("java.home"), port,
            Map.of("SSE_REDIS_URL", redis.url()), List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
        p.awaitHealthy(Duration.ofSeconds(30));
        return p;
    }
}
