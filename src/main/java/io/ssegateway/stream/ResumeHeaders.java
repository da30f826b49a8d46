package io.ssegateway.stream;

import io.ssegateway.broker.Replay;

/**
 * Told, once a resuming stream has read the first page of its history and before it writes its
 * first byte, whether that history is complete: a door may still set response headers then (the
 * Mercure door's {@code Mercure-Last-Event-ID}), from the read the stream makes anyway.
 */
@FunctionalInterface
public interface ResumeHeaders {
    /** Sets nothing. */
    ResumeHeaders NONE = (output, gap) -> { };

    /**
     * Called once, on the thread that opens the stream; {@code output} still takes headers.
     *
     * @param gap why events after the client's id are missing, or null if none are
     */
    void resumed(StreamOutput output, Replay.Gap gap);
}
