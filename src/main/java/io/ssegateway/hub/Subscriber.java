package io.ssegateway.hub;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.List;

/**
 * What the hub needs of a local stream: its topics, and somewhere to offer frames. Declared here,
 * where it is used, so the hub does not depend on the stream's implementation. Offers never block.
 */
public interface Subscriber {
    /** The topics it wants; fixed for its life. */
    List<String> topics();

    /** Offers a live event; never blocks. */
    void offer(Event event);

    /** What it picks from its topics' events, or null for all of them (see {@link Selector}). */
    default Selector selector() {
        return null;
    }

    /**
     * What it shares a way out with, or null: a {@link FanOutSet} hands the subscribers of one group
     * out one after another (those of one HTTP/2 connection, whose writes then batch). Fixed for its
     * life; a map key, so equal groups are one group.
     */
    default Object fanOutGroup() {
        return null;
    }

    /**
     * Offers a live {@code gap} event: events of its topics are missing for {@code reason}; a resume
     * from {@code restart} (may be null) is correct. Never blocks.
     */
    void offerGap(String reason, EventId restart);
}
