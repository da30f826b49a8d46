package io.ssegateway.load;

import java.nio.charset.StandardCharsets;

/**
 * The text/event-stream line format, as the WHATWG EventSource rules read it: lines end with CR,
 * LF or CRLF (also split across reads); a line starting with {@code :} is a comment; otherwise
 * {@code field: value} with one optional space after the colon; an empty line ends the block. The
 * one SSE parser of the project: the load generator uses it with a small line bound (tens of
 * thousands of connections, a few hundred bytes each), the tests without one.
 *
 * <p>Not thread-safe: one per connection.
 */
public final class SseLineParser {
    /** Receives what the parser reads, in order. */
    public interface Handler {
        /** A field line; {@code value} has the optional leading space removed. */
        void field(String name, String value);

        /** A comment line, without its {@code :} and leading space. */
        default void comment(String text) {
        }

        /** An empty line: the block so far is complete. */
        void blockEnd();
    }

    private final int maxLine;
    /** The current line; grows (doubling) up to {@code maxLine}. */
    private byte[] line;
    private int length;
    private boolean lastWasCr;

    /**
     * @param maxLine bytes of a line kept; the rest of a longer line is skipped (the load generator
     *                needs only the start of {@code data:})
     */
    public SseLineParser(int maxLine) {
        this.maxLine = maxLine;
        this.line = new byte[Math.min(maxLine, 256)];
    }

    /** Parses {@code len} bytes of the body (already de-chunked) from {@code off}. */
    public void feed(byte[] bytes, int off, int len, Handler handler) {
        for (int i = off; i < off + len; i++) {
            byte b = bytes[i];
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                onLine(handler);
                length = 0;
            } else if (length < maxLine) {
                if (length == line.length) {
                    line = java.util.Arrays.copyOf(line, (int) Math.min(maxLine, 2L * line.length));
                }
                line[length++] = b;
            }
        }
    }

    private void onLine(Handler handler) {
        if (length == 0) {
            handler.blockEnd();
            return;
        }
        if (line[0] == ':') {
            int start = length > 1 && line[1] == ' ' ? 2 : 1;
            handler.comment(new String(line, start, length - start, StandardCharsets.UTF_8));
            return;
        }
        int colon = 0;
        while (colon < length && line[colon] != ':') {
            colon++;
        }
        String name = new String(line, 0, colon, StandardCharsets.UTF_8);
        int valueStart = colon < length ? colon + 1 : colon;
        if (valueStart < length && line[valueStart] == ' ') {
            valueStart++;
        }
        handler.field(name, new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8));
    }
}
