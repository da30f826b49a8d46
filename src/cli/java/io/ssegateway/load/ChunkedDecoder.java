package io.ssegateway.load;

/**
 * Undoes HTTP/1.1 chunked transfer coding as bytes arrive. Chunk boundaries fall anywhere (Jetty
 * splits large writes), even inside an SSE line, so the chunk-size line is parsed in its own state
 * and never mixed with the body. The one chunked decoder of the project (load generator and tests).
 */
public final class ChunkedDecoder {
    /** Receives de-chunked body bytes. */
    @FunctionalInterface
    public interface Body {
        void bytes(byte[] b, int off, int len);
    }

    /** Bytes left in the current chunk; -1 while reading a chunk-size line. */
    private long chunkLeft = -1;
    private long sizeValue;
    private boolean sizeDigits;
    private boolean sizeExtension;
    private boolean ended;

    /** True once the last (zero-size) chunk arrived. */
    public boolean ended() {
        return ended;
    }

    /** Decodes {@code len} bytes from {@code off}, handing body bytes to {@code body}. */
    public void feed(byte[] b, int off, int len, Body body) {
        int i = off;
        int end = off + len;
        while (i < end && !ended) {
            if (chunkLeft < 0) {
                sizeByte(b[i++]);
            } else {
                int take = (int) Math.min(chunkLeft, end - i);
                body.bytes(b, i, take);
                i += take;
                chunkLeft -= take;
                if (chunkLeft == 0) {
                    chunkLeft = -1; // the CRLF after the chunk reads as an empty size line
                }
            }
        }
    }

    private void sizeByte(byte b) {
        if (b == '\n') {
            if (sizeDigits) {
                chunkLeft = sizeValue;
                if (chunkLeft == 0) {
                    ended = true;
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
}
