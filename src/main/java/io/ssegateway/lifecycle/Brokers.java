package io.ssegateway.lifecycle;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerObserver;
import io.ssegateway.broker.LocalBroker;
import io.ssegateway.broker.redis.RedisBroker;
import io.ssegateway.config.GatewayConfig;
import java.time.Clock;

/** Chooses and builds the broker the configuration asks for: Redis when configured, else memory. */
final class Brokers {
    private Brokers() {
    }

    static Broker create(GatewayConfig config, BrokerObserver metrics) {
        if (config.redisUrl() != null || !config.redisSentinels().isEmpty()) {
            return new RedisBroker(config, metrics);
        }
        return new LocalBroker(config.historyMaxEvents(), config.historyMaxAge().toMillis(), Clock.systemUTC());
    }
}
