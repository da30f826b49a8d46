package io.ssegateway.load;

import java.util.Locale;

/**
 * One HTTP/1.1 response that carries an event stream, read from the bytes a selector thread reads:
 * the head (status line, {@code Transfer-Encoding}), then the body through the project's one
 * {@link ChunkedDecoder} and {@link SseLineParser}. Shared by the load generator and the storm's
 * swarm, so both read a stream as an EventSource does. Small state only: the head's current line
 * while the head is read, the parser's bounded line afterwards.
 *
 * <p>Not thread-safe: one per connection attempt.
 */
final class SseResponseReader {
    /** Receives the head's status, then the body's lines. */
    interface Listener extends SseLineParser.Handler {
        /** The head was read; body lines follow. */
        void head(int status);
    }

    private final SseLineParser parser;
    /** The current head line; null once the head is read. */
    private StringBuilder headLine = new StringBuilder();
    private boolean statusLineSeen;
    private int status;
    /** Set by a {@code Transfer-Encoding: chunked} header; null for a body without transfer coding. */
    private ChunkedDecoder chunks;
    private Listener listener;
    private final ChunkedDecoder.Body toParser;

    /** @param maxLine bytes of a body line kept (see {@link SseLineParser}) */
    SseResponseReader(int maxLine) {
        this.parser = new SseLineParser(maxLine);
        this.toParser = (b, off, len) -> parser.feed(b, off, len, listener);
    }

    /** An HTTP/2 response: its status came in a HEADERS frame, and its DATA frames are the body as it is. */
    void headersFrame(int status) {
        this.status = status;
        statusLineSeen = true;
        headLine = null;
    }

    /** Consumes {@code len} bytes read from the socket (or an HTTP/2 stream's data), from {@code off}. */
    void feed(byte[] bytes, int off, int len, Listener to) {
        this.listener = to;
        int i = off;
        int end = off + len;
        while (i < end && headLine != null) {
            headByte(bytes[i++]);
        }
        if (i == end || headLine != null) {
            return;
        }
        if (chunks == null) {
            parser.feed(bytes, i, end - i, to);
        } else {
            chunks.feed(bytes, i, end - i, toParser);
        }
    }

    /** True once the chunked body's last chunk arrived: the response is over. */
    boolean ended() {
        return chunks != null && chunks.ended();
    }

    /** The response's status, 0 until the status line was read. */
    int status() {
        return status;
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
                headLine = null;
                listener.head(status);
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
}
