package io.ssegateway.spring;

import io.ssegateway.lifecycle.Gateway;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The embedded gateway's state as Actuator's {@code sseGateway} health contributor: {@code UP} while
 * it serves, {@code OUT_OF_SERVICE} while it drains, {@code DOWN} while its broker is unreachable
 * (what {@code /ready} answers 503 for), with the node's streams, capacity and broker. Add it to the
 * readiness group ({@code management.endpoint.health.group.readiness.include=readinessState,sseGateway})
 * to take the instance out of a load balancer when its broker is away.
 */
final class GatewayHealth implements HealthIndicator {
    private final EmbeddedGateway embedded;

    GatewayHealth(EmbeddedGateway embedded) {
        this.embedded = embedded;
    }

    @Override
    public Health health() {
        Gateway gateway = embedded.orNull();
        if (gateway == null) {
            return Health.unknown().withDetail("reason", "the servlet container has not started the gateway").build();
        }
        Health.Builder state = gateway.isDraining() ? Health.outOfService()
            : gateway.isBrokerAvailable() ? Health.up() : Health.down();
        return state.withDetail("streams", gateway.streams()).withDetail("maxStreams", gateway.maxStreams())
            .withDetail("broker", gateway.broker().toString()).withDetail("node", gateway.nodeName()).build();
    }
}
