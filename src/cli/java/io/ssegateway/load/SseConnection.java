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

    /** The current attempt's response; a resumed stream gets a new one per attempt. */
    private SseResponseReader response = new SseResponseReader(MAX_LINE);
    /** The listener of the feed in progress. */
    private EventListener listener;
    /** The last {@code id:} field read (an EventSource's last event ID buffer). */
    private String eventId;
    /** The id of the last event dispatched, what a resumed attempt sends as {@code Last-Event-ID}; null before one. */
    private String lastEventId;
    /** The reconnection delay: 3 s, as in a browser, until a {@code retry:} field says otherwise. */
    private long retryMillis = 3000;
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

    /**
     * Starts a new attempt (a resumed stream): nothing of the last response is kept but the last
     * event id and the reconnection delay, as an EventSource keeps them; an event cut off by the
     * end of the last response is discarded.
     */
    void newAttempt() {
        response = new SseResponseReader(MAX_LINE);
        eventId = lastEventId;
        eventType = null;
        eventHasData = false;
        eventPublishedMicros = -1;
        phase = Phase.BODY;
    }

    /** The id to send as {@code Last-Event-ID} when resuming, or null if no event with an id arrived. */
    String lastEventId() {
        return lastEventId;
    }

    /** The reconnection delay the server asked for with {@code retry:}, or 3 s. */
    long retryMillis() {
        return retryMillis;
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
            case "retry" -> retryMillis = retryField(value, retryMillis);
            default -> {
                // unknown fields do not matter to the load
            }
        }
    }

    @Override
    public void blockEnd() {
        lastEventId = eventId;
        if (eventHasData) {
            listener.onEvent(this, eventId, eventType, eventPublishedMicros);
        }
        eventType = null;
        eventHasData = false;
        eventPublishedMicros = -1;
    }

    /** A {@code retry:} value: ASCII digits only, as the event-stream format has it; anything else is ignored. */
    private static long retryField(String value, long current) {
        if (value.isEmpty() || value.length() > 9) {
            return current;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return current;
            }
        }
        return Long.parseLong(value);
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
