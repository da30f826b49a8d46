package io.ssegateway.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.LogLines;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, point 7: a node whose Redis is not there says it cannot reach Redis (not "connection
 * lost": it never had one), stays unready, and serves once a Redis appears at that address.
 */
class UnreachableRedisIT {

    @Test
    void aNodeThatNeverReachedRedisSaysSoAndRecoversWhenRedisComes() throws Exception {
        // Dialled before anything listens on it: from below the ephemeral range (see freeFixedPort).
        int port = GatewayProcess.freeFixedPort();
        try (LogLines log = LogLines.of(RedisSubscriber.class);
             TestGateway gw = TestGateway.start("redis-url", "redis://127.0.0.1:" + port)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (log.messages().stream().noneMatch(m -> m.contains("cannot reach Redis")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<String> lines = log.messages();
            assertTrue(lines.stream().anyMatch(m -> m.contains("redis subscriber cannot reach Redis")), lines.toString());
            assertTrue(lines.stream().noneMatch(m -> m.contains("connection lost")), lines.toString());
            assertEquals(503, gw.get("/ready").statusCode(), "not ready without its broker");
            try (RedisServer redis = RedisServer.startOn(port)) {
                deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (gw.get("/ready").statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(200, gw.get("/ready").statusCode(), "ready once Redis is there");
                gw.publishOk("after", "redis came");
            }
        }
    }
}
