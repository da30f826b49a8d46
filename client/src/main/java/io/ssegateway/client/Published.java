package io.ssegateway.client;

/**
 * A publication the gateway stored.
 *
 * @param id             the event's id (native door) or the Mercure update's id
 * @param topic          the topic published to
 * @param idempotencyKey the key sent (the caller's or the one made for the call)
 * @param attempts       how many requests it took (more than one after a retried failure)
 */
public record Published(String id, String topic, String idempotencyKey, int attempts) {
}
