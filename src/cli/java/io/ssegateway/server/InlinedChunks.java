package io.ssegateway.server;

import java.nio.ByteBuffer;

/**
 * Hands Jetty's HTTP/2 writer a small chunk that many streams share in a form it copies into its
 * write buffer, beside the frame header, instead of keeping it as a piece of its own.
 *
 * <p>Why: Jetty 12.1's HTTP/2 flusher gathers the frames of one socket write in a
 * {@code RetainableByteBuffer.DynamicCapacity} whose size it tells by walking its pieces. It copies a
 * content buffer only if the content is under 1/64 of that buffer's capacity; any other content
 * stays a piece of its own, and the next frame's 9-byte header then takes a fresh 8 KB buffer from
 * the connector's pool. An event wrapped as it is (capacity = length) is such a piece: a write batch
 * of 32 DATA frames ({@link io.ssegateway.stream.WriteBatch}) took 32 pooled buffers and 64 pieces,
 * and the pool's search for a free buffer was a quarter of the pump threads' CPU in a broadcast to
 * 100,000 HTTP/2 streams (docs/performance.md). A view whose backing array is 65 times the chunk is
 * copied instead: one 8 KB buffer holds eight 1 KB frames with their headers.
 *
 * <p>Each thread keeps one copy, of the chunk it last found written {@link #LEAD} times more often than
 * the others it wrote meanwhile (a majority count: one up for the candidate, one down for any other
 * chunk). So a broadcast makes one copy per thread, even though streams with a heartbeat or a backlog
 * of their own (a coalesced chunk no other stream shares) come between its writes; chunks that are
 * not shared and topics that take turns go out as they are; and a thread makes a copy at most once
 * per {@link #LEAD} writes. A thread holds its copy (at most 65 × {@link #MAX_LENGTH}
 * bytes) until another chunk takes its place.
 *
 * <p>Thread-confined: each thread has its own copy and count; a copy is never changed after it is made.
 */
final class InlinedChunks {
    /** Larger chunks fill most of an 8 KB write buffer on their own: they stay pieces. */
    static final int MAX_LENGTH = 2048;
    /** The lead over other chunks a chunk needs on one thread before it is inlined. */
    static final int LEAD = 32;
    /** Jetty copies a content buffer whose content is under 1/64 of its capacity. */
    private static final int CAPACITY_FACTOR = 65;

    private static final ThreadLocal<ThreadCopy> COPIES = ThreadLocal.withInitial(ThreadCopy::new);

    private InlinedChunks() {
    }

    /**
     * {@code chunk}, or the same bytes as a view Jetty's HTTP/2 writer copies. Only a chunk that is
     * its whole backing array (an encoded event as every stream shares it) can be inlined.
     */
    static ByteBuffer of(ByteBuffer chunk) {
        int length = chunk.remaining();
        if (length > MAX_LENGTH || !chunk.hasArray() || chunk.arrayOffset() != 0 || chunk.position() != 0
            || chunk.array().length != length) {
            return chunk;
        }
        return COPIES.get().next(chunk.array(), chunk);
    }

    /** One thread's copy, and the count that decides which chunk gets it. */
    private static final class ThreadCopy {
        /** The chunk with a copy, and the copy. */
        private byte[] inlined;
        private byte[] padded;
        /** The chunk that may be next to get a copy, and its lead over the chunks written meanwhile. */
        private byte[] candidate;
        private int lead;

        /** {@code chunk}, whose whole backing array is {@code array}, or its inlined view. */
        ByteBuffer next(byte[] array, ByteBuffer chunk) {
            if (array == inlined) {
                return view();
            }
            if (array == candidate) {
                if (++lead >= LEAD) {
                    inlined = array;
                    padded = new byte[array.length * CAPACITY_FACTOR];
                    System.arraycopy(array, 0, padded, 0, array.length);
                    candidate = null;
                    lead = 0;
                    return view();
                }
            } else if (lead == 0) {
                candidate = array;
                lead = 1;
            } else {
                lead--;
            }
            return chunk;
        }

        private ByteBuffer view() {
            return ByteBuffer.wrap(padded, 0, inlined.length);
        }
    }
}
