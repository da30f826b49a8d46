package io.ssegateway.event;

import java.util.Objects;

/**
 * One published event: an immutable value whose wire bytes were encoded once, at publish time,
 * and are shared by every stream and every replay that sends it.
 *
 * @param id                the event's id
 * @param topic             the topic it was published to
 * @param type              the SSE event type, or {@code null} for the default ({@code message})
 * @param frame             the complete frame ({@code id:}, {@code event:}, {@code data:} lines and
 *                          the blank line); never modified after construction
 * @param publishedAtMillis wall-clock time of publishing, for age bounds and latency metrics
 */
public record Event(EventId id, String topic, String type, byte[] frame, long publishedAtMillis) implements Frame {
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(frame, "frame");
    }

    /** Encodes a new event; {@code data} may be empty and may contain any line breaks. */
    public static Event create(EventId id, String topic, String type, String data, long publishedAtMillis) {
        return new Event(id, topic, type, FrameEncoder.event(id, type, data), publishedAtMillis);
    }

    public long seq() {
        return id.seq();
    }
}
