package io.ssegateway.lifecycle;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerObserver;
import io.ssegateway.broker.LocalBroker;
import io.ssegateway.broker.nats.NatsBroker;
import io.ssegateway.broker.redis.RedisBroker;
import io.ssegateway.config.GatewayConfig;
import java.time.Clock;

/** Builds the broker the configuration chose ({@code broker}: memory, Redis or NATS JetStream). */
final class Brokers {
    private Brokers() {
    }

    static Broker create(GatewayConfig config, BrokerObserver metrics) {
        return switch (config.broker()) {
            case REDIS -> new RedisBroker(config.redis(), config.history(), metrics);
            case NATS -> new NatsBroker(config.nats(), config.history(), metrics);
            case MEMORY -> new LocalBroker(config.history().maxEvents(), config.history().maxAge().toMillis(), Clock.systemUTC());
        };
    }
}
