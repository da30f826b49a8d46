package io.ssegateway.stream;

import io.ssegateway.broker.Replay;

/**
 * What a stream needs from the node that holds it: a thread to run its pump on, somewhere to
 * report what it wrote, and the clean-up when it closes. Implemented by the gateway.
 */
public interface StreamHost {
    /** Runs a pump (or a close) on the pump executor; never on the caller's thread. */
    void execute(Runnable task);

    /** A chunk of {@code bytes} was handed to the container; its oldest event was published then. */
    void written(int bytes, long oldestPublishedAtMillis);

    /** Frames were dropped under the drop-oldest policy. */
    void dropped(int frames);

    /** A gap event was queued. */
    void gapSignalled(Replay.Gap gap);

    /** The stream closed: leave the hub, return the capacity permit, count it. Called once. */
    void closed(SseStream stream, CloseReason reason);
}
