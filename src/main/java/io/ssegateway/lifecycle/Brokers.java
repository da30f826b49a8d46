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
        if (config.redis().enabled()) {
            return new RedisBroker(config.redis(), config.history(), metrics);
        }
        return new LocalBroker(config.history().maxEvents(), config.history().maxAge().toMillis(), Clock.systemUTC());
    }
}
