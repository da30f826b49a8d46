package io.ssegateway.stream;

import io.ssegateway.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Live events that reach a stream while it is {@link StreamState#OPENING} or
 * {@link StreamState#CATCHING_UP}, held to be merged behind the replay. Bounded in bytes: past the
 * bound the held events are discarded and {@link #overflowed()} says so; they are all in history,
 * so the stream pages on from its last queued id instead (for a stream that resumes). Exists only
 * while the stream is not live. Not thread-safe: guarded by the stream's lock.
 */
final class OpeningBuffer {
    private final int maxBytes;
    private List<Event> events = new ArrayList<>(4);
    private int bytes;
    private boolean overflowed;

    OpeningBuffer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Holds {@code event}; past the bound, discards everything held and remembers it overflowed. */
    void hold(Event event) {
        if (overflowed) {
            return;
        }
        bytes += event.frame().length;
        if (bytes > maxBytes) {
            events = new ArrayList<>(4);
            bytes = 0;
            overflowed = true;
            return;
        }
        events.add(event);
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Starts holding afresh; the caller reads history for what was discarded. */
    void reset() {
        events = new ArrayList<>(4);
        bytes = 0;
        overflowed = false;
    }

    List<Event> events() {
        return events;
    }
}
