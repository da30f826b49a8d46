package io.ssegateway.stream;

/**
 * The life of an {@link SseStream}. Every move happens under the stream's lock; while the stream
 * is {@link #CATCHING_UP}, {@link #LIVE} or {@link #DRAINING} its write pump is in one of the
 * {@link PumpState}s.
 *
 * <pre>
 * NEW ---------start()----------&gt; OPENING        (registered with the hub: live events are held)
 * OPENING -----open(), more------&gt; CATCHING_UP    (history to page through before going live)
 * OPENING -----open()------------&gt; LIVE
 * CATCHING_UP -last page read----&gt; LIVE           (held live events merged behind the replay)
 * CATCHING_UP, LIVE --shutdown---&gt; DRAINING       (last frame queued; closes once written)
 * any but CLOSED -close decided--&gt; CLOSING        (a producer or the ticker decided; the close runs on the pump executor)
 * any ---------close()-----------&gt; CLOSED
 * </pre>
 *
 * <p>{@link #canMoveTo} is this diagram; {@link SseStream} makes every move through it and throws
 * {@link IllegalStateException} for any other. What each of the stream's calls does in each state
 * is in {@link SseStream}'s class comment.
 */
public enum StreamState {
    /** Admitted and async started, not yet known to the hub. Next: OPENING, CLOSING, CLOSED. */
    NEW,
    /**
     * In the hub; the replay's first page is being read. Live events are held aside (bounded), and
     * nothing is written. Next: CATCHING_UP, LIVE, CLOSING, CLOSED.
     */
    OPENING,
    /**
     * Writing a replay page by page as the client reads it; live events are still held aside.
     * Next: LIVE, DRAINING, CLOSING, CLOSED.
     */
    CATCHING_UP,
    /** Live events are queued as they come. Next: DRAINING, CLOSING, CLOSED. */
    LIVE,
    /** The gateway is shutting down: no new frames; the stream closes once the queue is written. Next: CLOSING, CLOSED. */
    DRAINING,
    /** A close was decided and handed to the pump executor; offers are ignored. Next: CLOSED. */
    CLOSING,
    /** Terminal: out of the hub, permit returned, queue released, response completed. */
    CLOSED;

    /** True if the diagram above has a move from this state to {@code next}. */
    boolean canMoveTo(StreamState next) {
        return switch (this) {
            case NEW -> next == OPENING || next == CLOSING || next == CLOSED;
            case OPENING -> next == CATCHING_UP || next == LIVE || next == CLOSING || next == CLOSED;
            case CATCHING_UP -> next == LIVE || next == DRAINING || next == CLOSING || next == CLOSED;
            case LIVE -> next == DRAINING || next == CLOSING || next == CLOSED;
            case DRAINING -> next == CLOSING || next == CLOSED;
            case CLOSING -> next == CLOSED;
            case CLOSED -> false;
        };
    }

    /** True once the stream is shutting down or closed: calls that queue frames are ignored, not wrong. */
    boolean isEnding() {
        return this == DRAINING || this == CLOSING || this == CLOSED;
    }

    /** True while the write pump runs (the stream was opened and is not closing). */
    boolean isPumping() {
        return this == CATCHING_UP || this == LIVE || this == DRAINING;
    }
}
