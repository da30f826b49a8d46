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
 * <p>The padded copy is made once per run of writes of the same chunk on one thread, after
 * {@link #RUN} writes in a row: a broadcast makes one per thread, while chunks no other stream shares
 * (a stream's own coalesced frames, replayed history) and topics that take turns go out as they are,
 * so the copy never costs more than 1/{@link #RUN} of the writes it serves. Each thread keeps its
 * last copy (at most 65 × {@link #MAX_LENGTH} bytes) until its next run begins.
 *
 * <p>Thread-confined: each thread has its own run; the copy is never changed after it is made.
 */
final class InlinedChunks {
    /** Larger chunks fill most of an 8 KB write buffer on their own: they stay pieces. */
    static final int MAX_LENGTH = 2048;
    /** Writes of the same chunk in a row on one thread before it is inlined. */
    static final int RUN = 32;
    /** Jetty copies a content buffer whose content is under 1/64 of its capacity. */
    private static final int CAPACITY_FACTOR = 65;

    private static final ThreadLocal<Run> RUNS = ThreadLocal.withInitial(Run::new);

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
        return RUNS.get().next(chunk.array(), chunk);
    }

    /** One thread's run: the chunk last written, how often in a row, and its copy once made. */
    private static final class Run {
        private byte[] source;
        private int writes;
        private byte[] padded;

        /** {@code chunk}, whose whole backing array is {@code array}, or its inlined view. */
        ByteBuffer next(byte[] array, ByteBuffer chunk) {
            if (array != source) {
                source = array;
                writes = 1;
                padded = null;
                return chunk;
            }
            if (padded == null) {
                if (++writes < RUN) {
                    return chunk;
                }
                padded = new byte[array.length * CAPACITY_FACTOR];
                System.arraycopy(array, 0, padded, 0, array.length);
            }
            return ByteBuffer.wrap(padded, 0, array.length);
        }
    }
}
