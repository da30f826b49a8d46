package io.ssegateway.broker;

import io.ssegateway.broker.redis.RedisBroker;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.ops.GatewayMetrics;
import java.time.Clock;

/** Chooses and builds the broker the configuration asks for: Redis when configured, else memory. */
public final class Brokers {
    private Brokers() {
    }

    public static Broker create(GatewayConfig config, GatewayMetrics metrics) {
        if (config.redisUrl() != null || !config.redisSentinels().isEmpty()) {
            return new RedisBroker(config, metrics);
        }
        return new LocalBroker(config.historyMaxEvents(), config.historyMaxAge().toMillis(), Clock.systemUTC());
    }
}
