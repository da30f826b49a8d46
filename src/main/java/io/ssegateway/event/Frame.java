package io.ssegateway.event;

/**
 * Bytes ready for the wire, as queued on a stream: an {@link Event} or a {@link ControlFrame}
 * (comments, {@code retry:}, {@code gap} and {@code server-shutdown}).
 */
public sealed interface Frame permits Event, Event.Enveloped, Event.Replayed, ControlFrame {
    /** The complete encoded frame; shared, never modified. */
    byte[] frame();

    /** When the frame's event was published (epoch millis), or 0 for control frames and replayed events. */
    long publishedAtMillis();
}
