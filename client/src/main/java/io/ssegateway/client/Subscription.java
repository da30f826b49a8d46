package io.ssegateway.client;

import java.util.List;
import java.util.Objects;

/**
 * What to subscribe to: one or more topics, optionally as one stream with the JSON envelope (each
 * event carries its topic), optionally resuming after an id the application kept. Immutable; each
 * method returns a changed copy.
 *
 * <pre>{@code
 * Subscription.to("orders/42")
 * Subscription.to("news", "sport").envelope()        // ServerEvent.topic() says which
 * Subscription.to("orders/42").resumeAfter(savedId)   // events after savedId first, then live
 * }</pre>
 */
public final class Subscription {
    /** Default bound of the hand-off to the listener, in events. */
    public static final int DEFAULT_HAND_OFF = 1024;

    private final List<String> topics;
    private final boolean envelope;
    private final String resumeAfter;
    private final int handOff;

    private Subscription(List<String> topics, boolean envelope, String resumeAfter, int handOff) {
        this.topics = topics;
        this.envelope = envelope;
        this.resumeAfter = resumeAfter;
        this.handOff = handOff;
    }

    /** The events of these topics (at least one; the gateway checks their form). */
    public static Subscription to(String... topics) {
        if (topics.length == 0) {
            throw new IllegalArgumentException("at least one topic");
        }
        for (String topic : topics) {
            Objects.requireNonNull(topic, "topic");
        }
        return new Subscription(List.of(topics), false, null, DEFAULT_HAND_OFF);
    }

    /** One stream for all topics, each event in the JSON envelope ({@code envelope=json}). */
    public Subscription envelope() {
        return new Subscription(topics, true, resumeAfter, handOff);
    }

    /** Start with the events after this id (sent as {@code Last-Event-ID} on the first connect). */
    public Subscription resumeAfter(String lastEventId) {
        return new Subscription(topics, envelope, Objects.requireNonNull(lastEventId, "lastEventId"), handOff);
    }

    /**
     * At most {@code events} events received and not yet handed to the listener. When the listener
     * falls that far behind, the client stops reading this stream: the bytes wait in the socket,
     * the gateway's queue for the stream fills, and the gateway applies its slow-consumer policy
     * (by default it closes the stream; the client then reconnects after the last event it
     * delivered and the gateway replays the rest from history, so nothing is lost and no memory
     * grows without bound on either side). Default {@value #DEFAULT_HAND_OFF}.
     */
    public Subscription handOff(int events) {
        if (events < 1) {
            throw new IllegalArgumentException("hand-off must hold at least one event: " + events);
        }
        return new Subscription(topics, envelope, resumeAfter, events);
    }

    public List<String> topics() {
        return topics;
    }

    public boolean isEnvelope() {
        return envelope;
    }

    /** The id to resume after on the first connect, or null. */
    public String initialLastEventId() {
        return resumeAfter;
    }

    public int handOffEvents() {
        return handOff;
    }
}
