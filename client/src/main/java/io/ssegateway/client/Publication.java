package io.ssegateway.client;

import java.util.Objects;

/**
 * One event to publish: topic, data, optional type and {@code Idempotency-Key}, and the door it goes
 * through. Immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * Publication.of("orders/42", json)                       // native door: POST /publish
 * Publication.of("orders/42", json).type("order-updated")  // event: order-updated
 * Publication.of("https://example.com/books/1", json).mercure()  // Mercure door
 * }</pre>
 *
 * <p>Without {@link #idempotencyKey(String)} the client makes one key per {@code publish} call and
 * sends it on every attempt of that call, so a retry after an answer that was lost delivers the
 * event once. Give your own key when the same event may be published again by a later call (a job
 * that is re-run).
 */
public final class Publication {
    private final String topic;
    private final String data;
    private final String type;
    private final String idempotencyKey;
    private final boolean mercure;

    private Publication(String topic, String data, String type, String idempotencyKey, boolean mercure) {
        this.topic = topic;
        this.data = data;
        this.type = type;
        this.idempotencyKey = idempotencyKey;
        this.mercure = mercure;
    }

    /** An event of {@code topic} with {@code data} (any text; empty is a valid event). */
    public static Publication of(String topic, String data) {
        return new Publication(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(data, "data"), null, null, false);
    }

    /** The event's type ({@code event:} line); without one, clients see {@code message}. */
    public Publication type(String eventType) {
        return new Publication(topic, data, Objects.requireNonNull(eventType, "eventType"), idempotencyKey, mercure);
    }

    /** The key that makes repeated publications of this event one (1–128 visible ASCII characters). */
    public Publication idempotencyKey(String key) {
        return new Publication(topic, data, type, Objects.requireNonNull(key, "key"), mercure);
    }

    /**
     * Through the Mercure door ({@code POST /.well-known/mercure}, form-encoded): the topic is an IRI,
     * the token must carry a Mercure publish grant, and the id returned is the Mercure update's id.
     */
    public Publication mercure() {
        return new Publication(topic, data, type, idempotencyKey, true);
    }

    public String topic() {
        return topic;
    }

    public String data() {
        return data;
    }

    /** The event type, or null. */
    public String eventType() {
        return type;
    }

    /** The caller's idempotency key, or null (the client then makes one per call). */
    public String givenIdempotencyKey() {
        return idempotencyKey;
    }

    public boolean isMercure() {
        return mercure;
    }
}
