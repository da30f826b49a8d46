package io.ssegateway.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The text/event-stream line format, as the WHATWG EventSource rules read it: lines end with CR,
 * LF or CRLF (also split across reads); a line starting with {@code :} is a comment; otherwise
 * {@code field: value} with one optional space after the colon; an empty line ends the block. The
 * one SSE parser of the project: the load generator uses it with a small line bound (tens of
 * thousands of connections, a few hundred bytes each), the tests without one.
 *
 * <p>Not thread-safe: one per connection.
 *
 * <p>Hand-written for speed: a load tool holding a million streams on the gateway's own cores reads
 * a gigabyte per broadcast, so line ends are looked for eight bytes at a time ({@link #lineEnd}) and
 * a line is copied in one piece, up to its bound.
 */
public final class SseLineParser {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0a0a_0a0a_0a0a_0a0aL;
    private static final long CRS = 0x0d0d_0d0d_0d0d_0d0dL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

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
        int i = off;
        int end = off + len;
        if (lastWasCr && i < end) {
            if (bytes[i] == '\n') {
                i++; // the LF of a CRLF whose CR ended the last read
            }
            lastWasCr = false; // an empty read leaves it for the next
        }
        while (i < end) {
            int eol = lineEnd(bytes, i, end);
            keep(bytes, i, eol);
            if (eol == end) {
                return;
            }
            onLine(handler);
            length = 0;
            i = eol + 1;
            if (bytes[eol] == '\r') {
                if (i == end) {
                    lastWasCr = true;
                } else if (bytes[i] == '\n') {
                    i++;
                }
            }
        }
    }

    /** Adds {@code bytes[from, to)} to the current line, as much as its bound allows. */
    private void keep(byte[] bytes, int from, int to) {
        int n = Math.min(to - from, maxLine - length);
        if (n <= 0) {
            return;
        }
        if (length + n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.min(maxLine, Math.max(length + n, 2 * line.length)));
        }
        System.arraycopy(bytes, from, line, length, n);
        length += n;
    }

    /**
     * The index of the first CR or LF in {@code bytes[from, end)}, or {@code end}. Eight bytes at a
     * time: a word XORed with eight LFs (or CRs) has a zero byte where the word has an LF (or CR),
     * and {@code (x - 0x01..01) & ~x & 0x80..80} is non-zero exactly when {@code x} has a zero
     * byte; the word found is then scanned byte by byte.
     */
    static int lineEnd(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            long lf = word ^ LFS;
            long cr = word ^ CRS;
            if (((((lf - ONES) & ~lf) | ((cr - ONES) & ~cr)) & HIGHS) != 0) {
                break;
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return end;
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
