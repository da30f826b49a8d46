package io.ssegateway.stream;

import io.ssegateway.event.EventId;
import io.ssegateway.event.WireFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a client asked its stream for, once validated.
 *
 * @param topics      the topics, without duplicates, in the order asked
 * @param lastEventId the id to resume after (Last-Event-ID), or null for a new stream
 * @param format      how events are framed ({@code envelope=json} names each event's topic)
 */
public record Subscription(List<String> topics, EventId lastEventId, WireFormat format) {
    public Subscription {
        topics = List.copyOf(topics);
        Objects.requireNonNull(format, "format");
    }

    /** True if the client resumes from an id (its replay may be paged). */
    public boolean resuming() {
        return lastEventId != null;
    }
}
