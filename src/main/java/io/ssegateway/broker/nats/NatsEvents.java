package io.ssegateway.broker.nats;

import io.nats.client.impl.Headers;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import io.ssegateway.event.Names;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;

/**
 * How an event is a JetStream message: the subject names the topic ({@link Subjects}), the body
 * is the data (UTF-8), the stream sequence is the id's seq, and two optional headers:
 * <ul>
 *   <li>{@value #TYPE}: the SSE event type;</li>
 *   <li>{@value #PREVIOUS}: the sequence of the topic's previous message when this one was stored
 *       (0 if the topic held none), enforced by the server through
 *       {@code Nats-Expected-Last-Subject-Sequence}. It tells a replay exactly whether the topic
 *       lost events to the history bounds; messages without it get a conservative answer.</li>
 * </ul>
 */
final class NatsEvents {
    static final String TYPE = "Sse-Type";
    static final String PREVIOUS = "Sse-Previous";

    private NatsEvents() {
    }

    /** The event of a stored message; the frame is encoded here, once per message and node. */
    static Event event(String epoch, long seq, String topic, Headers headers, byte[] data, ZonedDateTime stored) {
        String type = headers == null ? null : headers.getFirst(TYPE);
        if (type != null && !Names.isValidType(type)) {
            type = null; // written by a publisher outside the gateway; the event still counts
        }
        EventId id = new EventId(epoch, seq);
        String text = new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8);
        return new Event(id, topic, type, FrameEncoder.event(id, type, text), stored.toInstant().toEpochMilli());
    }

    /** The {@value #PREVIOUS} header's value, or -1 when the message has none (or an unreadable one). */
    static long previous(Headers headers) {
        String value = headers == null ? null : headers.getFirst(PREVIOUS);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
