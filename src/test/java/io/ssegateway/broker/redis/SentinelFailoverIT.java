package io.ssegateway.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Sentinel failover with real processes: a primary, two replicas and a Sentinel. The primary is
 * killed with SIGKILL while events are being published; the gateway follows the promoted replica
 * and no acknowledged event is lost, because each was on the replica before it was acknowledged
 * ({@code redis-replicas-ack=1}).
 */
class SentinelFailoverIT {

    @Test
    void primaryKilledWhilePublishingLosesNoAcknowledgedEvent() throws Exception {
        // Two replicas: after the failover one is promoted and the other still acknowledges writes.
        try (RedisServer primary = RedisServer.start();
             RedisServer replica1 = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
             RedisServer replica2 = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()))) {
            awaitLinkUp(replica1);
            awaitLinkUp(replica2);
            try (RedisServer sentinel = RedisServer.sentinel(primary.port())) {
                HttpClient http = Clients.started(8);
                try (TestGateway gw = TestGateway.start("redis-sentinels", "127.0.0.1:" + sentinel.port(),
                        "redis-master", "mymaster", "redis-replicas-ack", "1", "heartbeat", "1s", "idle-timeout", "10s")) {
                    await(() -> gw.get("/ready").statusCode() == 200, "gateway ready");
                    SseClient client = SseClient.connect(http, gw.url("/events?topic=fo"));
                    client.nextComment(Duration.ofSeconds(10));

                    List<String> acknowledged = new ArrayList<>();
                    int refused = 0;
                    boolean killed = false;
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
                        HttpResponse<String> r = gw.publish("fo", "event " + (acknowledged.size() + refused));
                        if (r.statusCode() == 200) {
                            acknowledged.add(Json.field(r.body(), "id"));
                        } else {
                            assertEquals(503, r.statusCode(), r.body());
                            refused++;
                            Thread.sleep(50);
                        }
                        if (!killed && acknowledged.size() == 100) {
                            primary.kill();
                            killed = true;
                        }
                    }
                    assertEquals(300, acknowledged.size(), "publishing resumed after the failover");
                    assertTrue(refused > 0, "publishes during the failover were refused, not lost");

                    List<String> received = new ArrayList<>();
                    String last = acknowledged.get(acknowledged.size() - 1);
                    while (received.isEmpty() || !received.get(received.size() - 1).equals(last)) {
                        SseEvent e = client.next(Duration.ofSeconds(30), "event " + last);
                        if (e.event() == null) {
                            received.add(e.id());
                        }
                    }
                    Set<String> unique = new HashSet<>(received);
                    assertEquals(received.size(), unique.size(), "no duplicate");
                    List<String> lost = acknowledged.stream().filter(id -> !unique.contains(id)).toList();
                    System.out.printf("sentinel failover: acknowledged %d, refused %d, received %d, lost %d%n",
                        acknowledged.size(), refused, received.size(), lost.size());
                    assertEquals(List.of(), lost, "no acknowledged event lost");
                    client.close();
                } finally {
                    http.stop();
                }
            }
        }
    }

    private static void awaitLinkUp(RedisServer replica) throws Exception {
        await(() -> {
            try (Jedis j = replica.client()) {
                return j.info("replication").contains("master_link_status:up");
            }
        }, "replica linked");
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
