package io.ssegateway.load;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One SSE connection of the load generator: the HTTP response head, chunked transfer decoding and
 * the SSE lines it needs ({@code id:}, {@code event:} and the start of {@code data:}), driven by
 * the bytes its selector thread reads. Small state only: a line buffer of at most 256 bytes (the
 * rest of a long line is skipped: only the start of {@code data:} carries the publish time).
 */
final class SseConnection {
    private static final int MAX_LINE = 256;

    enum Phase { CONNECTING, HEAD, BODY, CLOSED }

    final SocketChannel channel;
    final StreamStats stats = new StreamStats();
    final int index;
    Phase phase = Phase.CONNECTING;
    int status;
    ByteBuffer pendingRequest;

    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private boolean lastWasCr;
    /** Bytes left in the current chunk; -1 while reading a chunk-size line. */
    private long chunkLeft = -1;
    private boolean chunked;
    /** The chunk-size line being read: its value so far, whether it had a digit, whether an extension began. */
    private long sizeValue;
    private boolean sizeDigits;
    private boolean sizeExtension;
    private boolean headLineSeen;
    private String eventId;
    private String eventType;
    private long eventPublishedMicros = -1;
    private boolean eventHasData;

    SseConnection(int index, SocketChannel channel) {
        this.index = index;
        this.channel = channel;
    }

    /** Consumes bytes read from the socket. */
    void feed(ByteBuffer bytes, EventListener listener) {
        while (bytes.hasRemaining()) {
            if (phase == Phase.HEAD) {
                headByte(bytes.get());
            } else if (!chunked) {
                sseByte(bytes.get(), listener);
            } else if (chunkLeft < 0) {
                chunkSizeByte(bytes.get());
            } else {
                int n = (int) Math.min(chunkLeft, bytes.remaining());
                for (int i = 0; i < n; i++) {
                    sseByte(bytes.get(), listener);
                }
                chunkLeft -= n;
                if (chunkLeft == 0) {
                    chunkLeft = -1;
                }
            }
        }
    }

    /** Called with each complete event (one with data). */
    interface EventListener {
        void onEvent(SseConnection connection, String id, String type, long publishedMicros);
    }

    private void headByte(byte b) {
        if (b == '\n') {
            String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1).trim();
            resetLine();
            if (!headLineSeen) {
                headLineSeen = true;
                String[] parts = text.split(" ");
                status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            } else if (text.isEmpty()) {
                phase = Phase.BODY;
            } else if (text.toLowerCase(java.util.Locale.ROOT).startsWith("transfer-encoding:")
                && text.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        } else if (b != '\r') {
            append(b);
        }
    }

    /**
     * Parses a chunk-size line in its own state, never in {@code line}: a chunk boundary may fall
     * inside an SSE line (Jetty splits large writes), whose start must survive the size line.
     */
    private void chunkSizeByte(byte b) {
        if (b == '\n') {
            if (sizeDigits) {
                chunkLeft = sizeValue;
                if (chunkLeft == 0) {
                    phase = Phase.CLOSED;
                    chunkLeft = -1;
                }
            }
            sizeValue = 0;
            sizeDigits = false;
            sizeExtension = false;
        } else if (b == ';') {
            sizeExtension = true;
        } else if (!sizeExtension && Character.digit(b, 16) >= 0) {
            sizeValue = sizeValue * 16 + Character.digit(b, 16);
            sizeDigits = true;
        }
    }

    private void sseByte(byte b, EventListener listener) {
        if (b == '\n' && lastWasCr) {
            lastWasCr = false;
            return;
        }
        lastWasCr = b == '\r';
        if (b == '\n' || b == '\r') {
            sseLine(listener);
            resetLine();
        } else {
            append(b);
        }
    }

    private void sseLine(EventListener listener) {
        if (lineLength == 0) {
            if (eventHasData) {
                listener.onEvent(this, eventId, eventType, eventPublishedMicros);
            }
            eventType = null;
            eventHasData = false;
            eventPublishedMicros = -1;
            return;
        }
        if (startsWith("id:")) {
            eventId = value(3);
        } else if (startsWith("event:")) {
            eventType = value(6);
        } else if (startsWith("data:")) {
            if (!eventHasData) {
                eventPublishedMicros = leadingNumber(value(5));
            }
            eventHasData = true;
        }
    }

    private boolean startsWith(String prefix) {
        if (lineLength < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String value(int from) {
        int start = from < lineLength && line[from] == ' ' ? from + 1 : from;
        return new String(line, start, lineLength - start, StandardCharsets.UTF_8);
    }

    /** The publish time the load generator put at the start of the data, or -1. */
    private static long leadingNumber(String data) {
        int end = 0;
        while (end < data.length() && end < 19 && Character.isDigit(data.charAt(end))) {
            end++;
        }
        return end >= 13 ? Long.parseLong(data.substring(0, end)) : -1;
    }

    private void append(byte b) {
        if (lineLength < MAX_LINE) {
            line[lineLength++] = b; // beyond MAX_LINE the rest of a line is skipped
        }
    }

    private void resetLine() {
        lineLength = 0;
    }
}
