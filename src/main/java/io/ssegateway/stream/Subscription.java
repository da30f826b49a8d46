package io.ssegateway.stream;

import io.ssegateway.event.EventId;
import io.ssegateway.event.WireFormat;
import io.ssegateway.hub.Selector;
import java.util.List;
import java.util.Objects;

/**
 * What a client asked its stream for, once validated.
 *
 * @param topics      the topics, without duplicates, in the order asked
 * @param lastEventId the id to resume after (Last-Event-ID), or null for a new stream
 * @param format      how events are framed ({@code envelope=json} names each event's topic)
 * @param selector    what the stream picks from its topics' events, or null for all of them
 */
public record Subscription(List<String> topics, EventId lastEventId, WireFormat format, Selector selector) {
    public Subscription {
        topics = List.copyOf(topics);
        Objects.requireNonNull(format, "format");
    }

    /** A subscription to every event of {@code topics}. */
    public Subscription(List<String> topics, EventId lastEventId, WireFormat format) {
        this(topics, lastEventId, format, null);
    }

    /** True if the client resumes from an id (its replay may be paged). */
    public boolean resuming() {
        return lastEventId != null;
    }
}
