package io.ssegateway.testing;

import io.ssegateway.load.ChunkedDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * Reads an SSE response from a raw socket: skips the response head, undoes the chunked transfer
 * encoding with the project's {@link ChunkedDecoder} (chunk boundaries may fall anywhere, even
 * inside a line) and feeds the body to an {@link SseParser}. For tests that must control exactly
 * when a client reads.
 */
public final class ChunkedSseReader {
    private final InputStream in;
    private final SseParser parser;
    private final ChunkedDecoder chunks = new ChunkedDecoder();
    private final StringBuilder head = new StringBuilder();
    private boolean headDone;
    private final byte[] buf = new byte[65536];

    public ChunkedSseReader(InputStream in, Consumer<SseEvent> events) {
        this.in = in;
        this.parser = new SseParser(events, c -> { });
    }

    /** True once the chunked body's last chunk arrived. */
    public boolean ended() {
        return chunks.ended();
    }

    /** Reads what is available (up to the socket timeout); false at end of stream. */
    public boolean readSome() throws IOException {
        int n;
        try {
            n = in.read(buf);
        } catch (SocketTimeoutException e) {
            return true;
        }
        if (n < 0) {
            return false;
        }
        int i = 0;
        while (!headDone && i < n) {
            char c = (char) (buf[i++] & 0xff);
            if (c != '\r') {
                head.append(c);
            }
            headDone = head.length() >= 2 && head.charAt(head.length() - 1) == '\n' && head.charAt(head.length() - 2) == '\n';
        }
        chunks.feed(buf, i, n - i, parser::feed);
        return true;
    }
}
