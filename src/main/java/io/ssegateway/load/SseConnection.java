package io.ssegateway.load;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * One SSE connection of the load generator: the HTTP response head, then the body through the
 * project's one {@link ChunkedDecoder} and {@link SseLineParser}, driven by the bytes its selector
 * thread reads. Small state only: the parser keeps at most {@value #MAX_LINE} bytes of a line
 * (only the start of {@code data:} carries the publish time), and the head's text is dropped once
 * the head is read.
 */
final class SseConnection implements SseLineParser.Handler {
    private static final int MAX_LINE = 256;

    enum Phase { CONNECTING, HEAD, BODY, CLOSED }

    final SocketChannel channel;
    final StreamStats stats = new StreamStats();
    final int index;
    Phase phase = Phase.CONNECTING;
    int status;
    ByteBuffer pendingRequest;

    /** The current head line; null once the head is read. */
    private StringBuilder headLine = new StringBuilder();
    private boolean statusLineSeen;
    /** Set by a {@code Transfer-Encoding: chunked} header; null for a body without transfer coding. */
    private ChunkedDecoder chunks;
    private final SseLineParser parser = new SseLineParser(MAX_LINE);
    private final ChunkedDecoder.Body toParser = (b, off, len) -> parser.feed(b, off, len, this);
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

    /** Consumes {@code len} bytes read from the socket, from {@code off}. */
    void feed(byte[] bytes, int off, int len, EventListener eventListener) {
        this.listener = eventListener;
        int i = off;
        int end = off + len;
        while (i < end && phase == Phase.HEAD) {
            headByte(bytes[i++]);
        }
        if (i == end || phase != Phase.BODY) {
            return;
        }
        if (chunks == null) {
            parser.feed(bytes, i, end - i, this);
        } else {
            chunks.feed(bytes, i, end - i, toParser);
            if (chunks.ended()) {
                phase = Phase.CLOSED;
            }
        }
    }

    private void headByte(byte b) {
        if (b == '\n') {
            String text = headLine.toString().trim();
            headLine.setLength(0);
            if (!statusLineSeen) {
                statusLineSeen = true;
                String[] parts = text.split(" ", 3);
                status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            } else if (text.isEmpty()) {
                phase = Phase.BODY;
                headLine = null;
            } else {
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunks = new ChunkedDecoder();
                }
            }
        } else if (b != '\r') {
            headLine.append((char) (b & 0xff));
        }
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
