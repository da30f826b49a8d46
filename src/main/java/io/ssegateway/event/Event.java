package io.ssegateway.event;

import java.util.Objects;
import java.util.function.Function;

/**
 * One published event: an immutable value whose wire bytes were encoded once, at publish time,
 * and are shared by every stream and every replay that sends it. Another {@link WireFormat}'s form
 * is encoded the first time a stream asks for it, then shared the same way. One event is sent in
 * one format besides the plain one (a topic's streams are all of one door), so one slot keeps it;
 * a second format would be encoded again each time, never wrong.
 */
public final class Event implements Frame {
    private final EventId id;
    private final String topic;
    private final String type;
    private final byte[] frame;
    private final long publishedAtMillis;
    /** The form in a format other than plain, made on first use; racing threads may both make it, and either is right. */
    private volatile Formatted formatted;
    /** What a door decoded from the data, made on first use (same race as above). */
    private volatile Object decoded;

    private record Formatted(WireFormat format, Enveloped frame) {
    }

    /**
     * @param id                the event's id
     * @param topic             the topic it was published to
     * @param type              the SSE event type, or {@code null} for the default ({@code message})
     * @param frame             the complete frame ({@code id:}, {@code event:}, {@code data:} lines and
     *                          the blank line); never modified after construction
     * @param publishedAtMillis wall-clock time of publishing, for age bounds and latency metrics
     */
    public Event(EventId id, String topic, String type, byte[] frame, long publishedAtMillis) {
        this.id = Objects.requireNonNull(id, "id");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.type = type;
        this.frame = Objects.requireNonNull(frame, "frame");
        this.publishedAtMillis = publishedAtMillis;
    }

    /** Encodes a new event; {@code data} may be empty and may contain any line breaks. */
    public static Event create(EventId id, String topic, String type, String data, long publishedAtMillis) {
        return new Event(id, topic, type, FrameEncoder.event(id, type, data), publishedAtMillis);
    }

    public EventId id() {
        return id;
    }

    public String topic() {
        return topic;
    }

    public String type() {
        return type;
    }

    @Override
    public byte[] frame() {
        return frame;
    }

    @Override
    public long publishedAtMillis() {
        return publishedAtMillis;
    }

    public long seq() {
        return id.seq();
    }

    /** This event as {@code format} puts it on the wire. */
    public Frame in(WireFormat format) {
        if (format == WireFormat.PLAIN) {
            return this;
        }
        Formatted f = formatted;
        if (f == null || f.format() != format) {
            f = new Formatted(format, new Enveloped(format.encode(this), publishedAtMillis));
            formatted = f;
        }
        return f.frame();
    }

    /**
     * What {@code decoder} makes of this event, made once and kept: a door that reads a structure
     * from the data of every event it routes (the Mercure door's updates) decodes it once per event,
     * not once per stream. An event is decoded by one door, so one slot keeps it.
     */
    public <T> T decoded(Class<T> type, Function<Event, T> decoder) {
        Object d = decoded;
        if (!type.isInstance(d)) {
            d = decoder.apply(this);
            decoded = d;
        }
        return type.cast(d);
    }

    /**
     * This event as {@code format} puts it on the wire when it is sent from history: the same bytes,
     * with no publish time, so that a replay is not counted as publish-to-write latency (the event
     * was published before its client came).
     */
    public Frame replayed(WireFormat format) {
        return new Replayed(in(format).frame());
    }

    @Override
    public String toString() {
        return "Event[" + id + " on " + topic + "]";
    }

    /** An event's frame sent from history ({@link #replayed}). */
    public record Replayed(byte[] frame) implements Frame {
        @Override
        public long publishedAtMillis() {
            return 0;
        }
    }

    /** An event's frame in a format other than plain. */
    public record Enveloped(byte[] frame, long publishedAtMillis) implements Frame {
    }
}
