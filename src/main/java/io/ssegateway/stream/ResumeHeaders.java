package io.ssegateway.stream;

import io.ssegateway.broker.Replay;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Told, once a resuming stream has read the first page of its history and before it writes its
 * first byte, whether that history is complete: a door may still set response headers then (the
 * Mercure door's {@code Mercure-Last-Event-ID}), from the read the stream makes anyway.
 */
@FunctionalInterface
public interface ResumeHeaders {
    /** Sets nothing. */
    ResumeHeaders NONE = (response, gap) -> { };

    /**
     * Called once, on the thread that opens the stream.
     *
     * @param gap why events after the client's id are missing, or null if none are
     */
    void resumed(HttpServletResponse response, Replay.Gap gap);
}
