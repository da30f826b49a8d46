package io.ssegateway.publish;

import io.ssegateway.broker.BrokerUnavailableException;

/**
 * Where a stored native event is copied for another door's subscribers (the Mercure log, when
 * Mercure is on). Called after the event is stored, on the publishing request's thread.
 */
@FunctionalInterface
public interface Mirror {
    /** No other door. */
    Mirror NONE = (topic, type, data, privateTopic, idempotencyKey) -> { };

    /**
     * Copies the event.
     *
     * @param privateTopic   true if the topic needs a subscriber token at the native door
     * @param idempotencyKey the publisher's key, or null: a retry with it copies once
     * @throws BrokerUnavailableException if the copy was not stored (or may not have been)
     */
    void copy(String topic, String type, String data, boolean privateTopic, String idempotencyKey)
        throws BrokerUnavailableException;
}
