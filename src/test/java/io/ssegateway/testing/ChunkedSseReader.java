package io.ssegateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads an SSE response from a raw socket: skips the response head, undoes the chunked transfer
 * encoding (chunk boundaries may fall anywhere, even inside a line) and feeds the body to an
 * {@link SseParser}. For tests that must control exactly when a client reads.
 */
public final class ChunkedSseReader {
    private final InputStream in;
    private final SseParser parser;
    private boolean headDone;
    private long chunkLeft = -1;
    private boolean ended;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final byte[] buf = new byte[65536];

    public ChunkedSseReader(InputStream in, Consumer<SseEvent> events) {
        this.in = in;
        this.parser = new SseParser(events, c -> { });
    }

    /** True once the chunked body's last chunk arrived. */
    public boolean ended() {
        return ended;
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
        for (int i = 0; i < n; ) {
            i = consume(buf, i, n);
        }
        return true;
    }

    private int consume(byte[] b, int i, int n) {
        if (!headDone || chunkLeft < 0) {
            // Header lines and chunk-size lines are CRLF-terminated text.
            byte c = b[i++];
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).trim();
                line.reset();
                if (!headDone) {
                    headDone = text.isEmpty();
                } else if (!text.isEmpty()) {
                    chunkLeft = Long.parseLong(text.split(";")[0], 16);
                    if (chunkLeft == 0) {
                        ended = true;
                    }
                }
            } else {
                line.write(c);
            }
            return i;
        }
        int take = (int) Math.min(chunkLeft, n - i);
        parser.feed(b, i, take);
        chunkLeft -= take;
        if (chunkLeft == 0) {
            chunkLeft = -1; // the CRLF after the chunk reads as an empty size line
        }
        return i + take;
    }
}
