package io.ssegateway.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ssegateway.bench.PrometheusText;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A gateway process that stood still (a full collection at a million streams stops every thread
 * for seconds; here SIGSTOP for 12 s, longer than the 10 s after which a silent Redis connection
 * is replaced) must not take its own silence for Redis's: it sent no PING meanwhile. Before, the
 * first watchdog check after the pause logged "redis subscriber connection silent for 10,000 ms;
 * reconnecting" and replaced the connection, backfilling every topic.
 */
class ProcessPauseIT {

    @Test
    void aProcessThatStoodStillKeepsItsRedisConnection() throws Exception {
        try (RedisServer redis = RedisServer.start();
             GatewayProcess gw = GatewayProcess.start("--redis-url", "redis://127.0.0.1:" + redis.port())) {
            HttpClient http = HttpClient.newHttpClient();
            Thread.sleep(2_000); // a few PINGs answered: the watchdog runs on its period
            assertEquals(0.0, reconnects(http, gw));
            gw.signal("STOP");
            try {
                Thread.sleep(12_000);
            } finally {
                gw.signal("CONT");
            }
            Thread.sleep(3_000); // the late check and two checks on time
            assertEquals(0.0, reconnects(http, gw), "the connection was not replaced");
            assertFalse(gw.output().contains("silent for"), gw.output());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(gw.url("/ready"))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "ready");
        }
    }

    private static double reconnects(HttpClient http, GatewayProcess gw) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(gw.url("/metrics"))).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        return PrometheusText.parse(text).value("sse_broker_reconnects_total");
    }
}
