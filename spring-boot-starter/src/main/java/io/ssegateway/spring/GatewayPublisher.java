package io.ssegateway.spring;

import io.ssegateway.client.GatewayException;
import io.ssegateway.client.Publication;
import io.ssegateway.client.Published;

/**
 * Publishes events from the application: in-process when the gateway is embedded (no HTTP hop, the
 * rules of {@code POST /publish}), through the Java client when {@code sse-gateway.url} names a
 * gateway elsewhere. The same code works in both modes. Thread-safe; blocks the caller until the
 * broker stored the event.
 *
 * <pre>{@code
 * @Service
 * class Orders {
 *     private final GatewayPublisher events;
 *     Orders(GatewayPublisher events) { this.events = events; }
 *     void paid(Order o) { events.publish("orders/" + o.id(), o.toJson()); }
 * }
 * }</pre>
 */
public interface GatewayPublisher {
    /**
     * Publishes and returns the stored event's id.
     *
     * @throws GatewayException a refused publication (status 4xx: the topic, type, key or size
     *                          breaks a rule) or one the broker could not store (503: {@code draining},
     *                          {@code broker-unavailable}, {@code broker-outcome-unknown})
     */
    Published publish(Publication publication);

    /** {@code publish(Publication.of(topic, data))}. */
    default Published publish(String topic, String data) {
        return publish(Publication.of(topic, data));
    }
}
