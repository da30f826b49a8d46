package io.ssegateway.event;

import java.util.Objects;

/** A frame that is not a published event: a comment, a {@code retry:} hint or a control event. */
public record ControlFrame(byte[] frame) implements Frame {
    public ControlFrame {
        Objects.requireNonNull(frame, "frame");
    }

    @Override
    public long publishedAtMillis() {
        return 0;
    }
}
