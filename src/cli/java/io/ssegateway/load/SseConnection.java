package io.ssegateway.load;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One SSE connection of the load generator: the response read by the project's one
 * {@link SseResponseReader}, driven by the bytes its selector thread reads, and the fields of the
 * event being read. Small state only: the reader keeps at most {@value #MAX_LINE} bytes of a line
 * (only the start of {@code data:} carries the publish time).
 */
final class SseConnection implements SseResponseReader.Listener {
    private static final int MAX_LINE = 256;

    enum Phase { CONNECTING, HEAD, BODY, CLOSED }

    final SocketChannel channel;
    final StreamStats stats = new StreamStats();
    final int index;
    Phase phase = Phase.CONNECTING;
    ByteBuffer pendingRequest;

    private final SseResponseReader response = new SseResponseReader(MAX_LINE);
    /** The listener of the feed in progress. */
    private EventListener listener;
    private String eventId;
    private String eventType;
    private long eventPublishedMicros = -1;
    private boolean eventHasData;

    SseConnection(int index, SocketChannel channel) {
        this.index = index;
        this.channel = channel;
    }

    /** Called with each complete event (one with data). */
    interface EventListener {
        void onEvent(SseConnection connection, String id, String type, long publishedMicros);
    }

    /** The response's status, 0 until its head was read. */
    int status() {
        return response.status();
    }

    /** The response came over HTTP/2: its status arrived in a HEADERS frame, its body comes as data. */
    void headersFrame(int status) {
        response.headersFrame(status);
    }

    /** Consumes {@code len} bytes read from the socket, from {@code off}. */
    void feed(byte[] bytes, int off, int len, EventListener eventListener) {
        this.listener = eventListener;
        response.feed(bytes, off, len, this);
        if (response.ended()) {
            phase = Phase.CLOSED;
        }
    }

    @Override
    public void head(int status) {
        phase = Phase.BODY;
    }

    @Override
    public void field(String name, String value) {
        switch (name) {
            case "id" -> eventId = value;
            case "event" -> eventType = value;
            case "data" -> {
                if (!eventHasData) {
                    eventPublishedMicros = leadingNumber(value);
                }
                eventHasData = true;
            }
            default -> {
                // retry: and unknown fields do not matter to the load
            }
        }
    }

    @Override
    public void blockEnd() {
        if (eventHasData) {
            listener.onEvent(this, eventId, eventType, eventPublishedMicros);
        }
        eventType = null;
        eventHasData = false;
        eventPublishedMicros = -1;
    }

    /** The publish time the load generator put at the start of the data, or -1. */
    private static long leadingNumber(String data) {
        int end = 0;
        while (end < data.length() && end < 19 && Character.isDigit(data.charAt(end))) {
            end++;
        }
        return end >= 13 ? Long.parseLong(data.substring(0, end)) : -1;
    }
}
