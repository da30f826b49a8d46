package io.ssegateway.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.broker.BrokerObserver;
import io.ssegateway.broker.EventSink;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.event.Event;
import io.ssegateway.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A node's subscriber thread hands each event to every stream itself; at a million streams that
 * takes seconds per event, during which it reads nothing from Redis. That silence is the node's,
 * not Redis's: readiness must stay true (it turned false after 2.5 s without a PONG read, so a
 * balancer would drop the node during a long delivery) and the connection must not be taken for
 * dead (after 10 s it was replaced and backfilled).
 */
class SubscriberBusyIT {

    @Test
    void aDeliveryLongerThanTheWatchdogLeavesTheBrokerAvailableAndConnected() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            GatewayConfig config = GatewayConfig.of(Map.of("redis-url", "redis://127.0.0.1:" + redis.port()));
            AtomicInteger reconnects = new AtomicInteger();
            RedisBroker broker = new RedisBroker(config.redis(), config.history(), new BrokerObserver() {
                @Override
                public void brokerConnected(boolean connected) {
                }

                @Override
                public void brokerReconnected() {
                    reconnects.incrementAndGet();
                }
            });
            CountDownLatch slowStarted = new CountDownLatch(1);
            BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
            broker.start(new EventSink() {
                @Override
                public void deliver(Event event) {
                    String data = new String(event.frame(), StandardCharsets.UTF_8).contains("data: slow\n") ? "slow" : "next";
                    if (data.equals("slow")) {
                        slowStarted.countDown();
                        sleep(12_000); // longer than the 10 s after which a silent connection is replaced
                    }
                    delivered.add(data);
                }
            });
            try {
                broker.subscribe("t").get(10, TimeUnit.SECONDS);
                broker.publish("t", null, "slow", null);
                assertTrue(slowStarted.await(5, TimeUnit.SECONDS));
                List<Boolean> availability = new ArrayList<>();
                while (delivered.isEmpty()) {
                    availability.add(broker.isAvailable());
                    Thread.sleep(250);
                }
                assertTrue(availability.size() > 40 && !availability.contains(false),
                    "available throughout the 12 s delivery: " + availability);
                broker.publish("t", null, "next", null);
                assertEquals("slow", delivered.poll(1, TimeUnit.SECONDS));
                assertEquals("next", delivered.poll(5, TimeUnit.SECONDS), "live delivery goes on");
                Thread.sleep(1_500); // a watchdog check after the delivery, with the PONGs read meanwhile
                assertTrue(broker.isAvailable());
                assertEquals(0, reconnects.get(), "the connection was not replaced");
            } finally {
                broker.close();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
