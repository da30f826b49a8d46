package io.ssegateway.event;

import java.util.Objects;

/**
 * One published event: an immutable value whose wire bytes were encoded once, at publish time,
 * and are shared by every stream and every replay that sends it. Its {@link WireFormat#JSON_ENVELOPE}
 * form is encoded the first time a stream asks for it, then shared the same way: each event is
 * encoded at most once per format.
 */
public final class Event implements Frame {
    private final EventId id;
    private final String topic;
    private final String type;
    private final byte[] frame;
    private final long publishedAtMillis;
    /** The enveloped form, made on first use; racing threads may both make it, and either result is right. */
    private volatile Enveloped enveloped;
    /** The Mercure update this log event carries, decoded on first use (same race as above). */
    private volatile MercureUpdate mercure;
    /** The Mercure frame, made on first use (same race as above). */
    private volatile Enveloped mercureFrame;

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
        if (format == WireFormat.MERCURE) {
            Enveloped m = mercureFrame;
            if (m == null) {
                m = new Enveloped(mercure().frame(id), publishedAtMillis);
                mercureFrame = m;
            }
            return m;
        }
        Enveloped e = enveloped;
        if (e == null) {
            e = new Enveloped(FrameEncoder.envelope(this), publishedAtMillis);
            enveloped = e;
        }
        return e;
    }

    /**
     * The Mercure update this event carries, for events of {@link MercureUpdate#LOG_TOPIC}.
     *
     * @throws IllegalArgumentException if it carries none
     */
    public MercureUpdate mercure() {
        MercureUpdate m = mercure;
        if (m == null) {
            m = MercureUpdate.fromLogFrame(frame);
            mercure = m;
        }
        return m;
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

    /** An event's frame in another format ({@link WireFormat#JSON_ENVELOPE}, {@link WireFormat#MERCURE}). */
    public record Enveloped(byte[] frame, long publishedAtMillis) implements Frame {
    }
}
