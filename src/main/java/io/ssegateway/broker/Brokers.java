package io.ssegateway.broker;

import io.ssegateway.config.GatewayConfig;
import java.time.Clock;

/** Chooses and builds the broker the configuration asks for. */
public final class Brokers {
    private Brokers() {
    }

    public static Broker create(GatewayConfig config) {
        return new LocalBroker(config.historyMaxEvents(), config.historyMaxAge().toMillis(), Clock.systemUTC());
    }
}
