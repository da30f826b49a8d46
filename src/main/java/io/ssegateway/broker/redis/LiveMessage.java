package io.ssegateway.broker.redis;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The pub/sub message of {@code publish.lua}: a header line {@code <epoch> <seq> <millis>\n}
 * followed by the frame bytes, which are delivered as they are.
 */
final class LiveMessage {
    private LiveMessage() {
    }

    /** Parses a message of {@code topic}'s channel; null if it is not in the expected form. */
    static Event parse(String topic, byte[] message) {
        int newline = -1;
        for (int i = 0; i < message.length && i < 80; i++) {
            if (message[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            return null;
        }
        String[] header = new String(message, 0, newline, StandardCharsets.US_ASCII).split(" ");
        if (header.length != 3) {
            return null;
        }
        try {
            EventId id = new EventId(header[0], Long.parseLong(header[1]));
            byte[] frame = Arrays.copyOfRange(message, newline + 1, message.length);
            return new Event(id, topic, null, frame, Long.parseLong(header[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
