package io.ssegateway.broker.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StreamInfo;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.NatsServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * Three nats-server processes in one JetStream cluster on loopback, the stream with three
 * replicas. The server leading the stream is killed (SIGKILL) while a node publishes: every
 * acknowledged event reaches the other node's client exactly once and in order, and publishing
 * goes on through the new leader.
 */
class NatsClusterIT {
    private static final int EVENTS = 600;

    @Test
    void killingTheStreamLeaderWhilePublishingLosesNoAcknowledgedEvent() throws Exception {
        List<NatsServer> cluster = NatsServer.cluster();
        String urls = cluster.stream().map(NatsServer::url).collect(Collectors.joining(","));
        HttpClient http = Clients.started(8);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (TestGateway a = ready(TestGateway.start("broker", "nats", "nats-url", urls, "nats-replicas", "3", "heartbeat", "1s"));
             TestGateway b = ready(TestGateway.start("broker", "nats", "nats-url", urls, "nats-replicas", "3", "heartbeat", "1s"));
             SseClient sub = SseClient.connect(http, b.url("/events?topic=orders"))) {
            sub.nextComment(Duration.ofSeconds(10));
            List<Long> unavailableMillis = new ArrayList<>();
            Future<List<String>> publisher = pool.submit(() -> {
                List<String> acked = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    acked.add(publishUntilAcknowledged(a, "orders", "event-" + i, unavailableMillis));
                    Thread.sleep(3);
                }
                return acked;
            });
            Thread.sleep(700);
            NatsServer leader = leaderOf(cluster);
            long killedAt = System.nanoTime();
            leader.kill();
            System.out.println("killed stream leader " + leader.name());
            List<String> acked = publisher.get(120, TimeUnit.SECONDS);
            List<SseEvent> got = sub.take(EVENTS, Duration.ofSeconds(60));
            assertEquals(acked, got.stream().map(SseEvent::id).toList(), "every acknowledged event once, in order");
            for (int i = 0; i < EVENTS; i++) {
                assertEquals("event-" + i, got.get(i).data());
            }
            sub.assertNoEvent(Duration.ofMillis(500));
            NatsServer newLeader = leaderOf(cluster);
            assertTrue(!newLeader.name().equals(leader.name()), "a new leader: " + newLeader.name());
            long total = unavailableMillis.stream().mapToLong(Long::longValue).sum();
            System.out.printf("NATS cluster: %d events acknowledged and delivered once; publishing answered 503 for %d ms in"
                + " all after the leader was killed (%d ms after the kill the last event was acknowledged); new leader %s%n",
                EVENTS, total, (System.nanoTime() - killedAt) / 1_000_000, newLeader.name());
        } finally {
            pool.shutdownNow();
            http.stop();
            for (NatsServer s : cluster) {
                s.close();
            }
        }
    }

    private static TestGateway ready(TestGateway node) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (node.get("/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(200, node.get("/ready").statusCode(), node.get("/ready").body());
        return node;
    }

    /** The server that leads the stream now, asked through any live server. */
    private static NatsServer leaderOf(List<NatsServer> cluster) throws Exception {
        for (NatsServer s : cluster) {
            try (Connection c = Nats.connect(s.url())) {
                StreamInfo info = c.jetStreamManagement().getStreamInfo("sse");
                String leader = info.getClusterInfo().getLeader();
                for (NatsServer candidate : cluster) {
                    if (candidate.name().equals(leader)) {
                        return candidate;
                    }
                }
            } catch (Exception down) {
                // this one is dead or has no leader yet; ask another
            }
        }
        throw new AssertionError("no server names a stream leader");
    }

    /** Publishes with an Idempotency-Key until 200: a retry after an unknown outcome is stored once. */
    private static String publishUntilAcknowledged(TestGateway node, String topic, String data, List<Long> unavailableMillis)
        throws Exception {
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url("/publish?topic=" + topic)))
            .header("Idempotency-Key", data).POST(HttpRequest.BodyPublishers.ofString(data)).build();
        long start = System.nanoTime();
        while (true) {
            HttpResponse<String> r = jdk.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                long waited = (System.nanoTime() - start) / 1_000_000;
                if (waited > 100) {
                    unavailableMillis.add(waited);
                }
                return Json.field(r.body(), "id");
            }
            assertEquals(503, r.statusCode(), r.body());
            if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
                throw new AssertionError("no 200 for 60 s: " + r.body());
            }
            Thread.sleep(50);
        }
    }
}
