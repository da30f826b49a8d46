package io.ssegateway.spring;

import io.ssegateway.client.GatewayException;
import io.ssegateway.client.Publication;
import io.ssegateway.client.Published;
import io.ssegateway.event.Event;
import io.ssegateway.publish.DirectPublisher;
import io.ssegateway.publish.InvalidPublication;

/**
 * The embedded gateway's publisher: {@link DirectPublisher}, with its refusals as the client's
 * {@link GatewayException} so that application code is the same in both modes.
 */
final class EmbeddedPublisher implements GatewayPublisher {
    private final EmbeddedGateway gateway;

    EmbeddedPublisher(EmbeddedGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Published publish(Publication p) {
        if (p.isMercure()) {
            throw new GatewayException(400, "mercure-not-in-process", "the in-process publisher publishes native events; "
                + "with mercure on they are copied to Mercure subscribers of the same topic", p.givenIdempotencyKey(), null);
        }
        try {
            Event stored = gateway.running().directPublisher().publish(p.topic(), p.eventType(), p.data(), p.givenIdempotencyKey());
            return new Published(stored.id().toString(), p.topic(), p.givenIdempotencyKey(), 1);
        } catch (InvalidPublication e) {
            throw new GatewayException(e.status(), e.code(), e.getMessage(), p.givenIdempotencyKey(), e);
        } catch (io.ssegateway.publish.Publication.NotStored e) {
            throw new GatewayException(503, e.code(), e.getMessage(), p.givenIdempotencyKey(), e);
        }
    }
}
