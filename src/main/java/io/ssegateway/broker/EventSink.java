package io.ssegateway.broker;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.Collection;

/** Receives a broker's events, one at a time and in id order, on the broker's thread. Must not block. */
public interface EventSink {
    void deliver(Event event);

    /**
     * Tells the streams of {@code topics} that events are missing that no resume can bring back
     * (history trimmed while the broker was away, or the sequence restarted). Must not block.
     *
     * @param restart for {@link Replay.Gap#EPOCH_CHANGED}: the id a later resume should start from
     */
    default void gap(Collection<String> topics, Replay.Gap gap, EventId restart) {
    }
}
