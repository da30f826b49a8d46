package io.ssegateway.client;

/**
 * An event the gateway delivered.
 *
 * @param id    the event's id ({@code <epoch>-<sequence>}; opaque), never null
 * @param type  the event's type: the publication's type, or {@code message} when it had none
 * @param data  the data exactly as published (line breaks as {@code \n})
 * @param topic the topic, on a stream that asked for the JSON envelope; null on a plain stream of
 *              one topic's events (the subscription says which)
 */
public record ServerEvent(String id, String type, String data, String topic) {
}
