package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When a chunk becomes a view Jetty's HTTP/2 writer copies, and that the view holds the same bytes. */
class InlinedChunksTest {
    private static byte[] frame(String data, int length) {
        byte[] bytes = new byte[length];
        byte[] text = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(text, 0, bytes, 0, Math.min(text.length, length));
        return bytes;
    }

    /** Writes {@code frame} as a stream's pump does, wrapped anew, {@code times} times; the last result. */
    private static ByteBuffer write(byte[] frame, int times) {
        ByteBuffer out = null;
        for (int i = 0; i < times; i++) {
            out = InlinedChunks.of(ByteBuffer.wrap(frame));
        }
        return out;
    }

    @Test
    void aChunkWrittenOverAndOverBecomesAViewOfACopyJettyCopiesOn() {
        byte[] frame = frame("broadcast", 1000);
        for (int i = 1; i < InlinedChunks.LEAD; i++) {
            ByteBuffer chunk = ByteBuffer.wrap(frame);
            assertSame(chunk, InlinedChunks.of(chunk), "write " + i + " of the chunk goes out as it is");
        }
        ByteBuffer view = InlinedChunks.of(ByteBuffer.wrap(frame));
        assertNotSame(frame, view.array());
        assertEquals(0, view.position());
        assertEquals(frame.length, view.remaining());
        // Jetty 12.1 copies a content buffer whose content is under 1/64 of its capacity.
        assertTrue(view.remaining() < view.capacity() / 64, view.remaining() + " of " + view.capacity());
        byte[] seen = new byte[view.remaining()];
        view.duplicate().get(seen);
        assertArrayEquals(frame, seen);

        ByteBuffer next = InlinedChunks.of(ByteBuffer.wrap(frame));
        assertSame(view.array(), next.array(), "one copy serves the writes after it");
        assertEquals(frame.length, next.remaining());
    }

    @Test
    void chunksOfTheirOwnBetweenTheWritesOfAnInlinedOneLeaveItsCopyInPlace() {
        byte[] shared = frame("shared", 500);
        byte[] copy = write(shared, InlinedChunks.LEAD).array();
        for (int i = 0; i < 3 * InlinedChunks.LEAD; i++) {
            ByteBuffer own = ByteBuffer.wrap(frame("own " + i, 600));
            assertSame(own, InlinedChunks.of(own), "a stream's own chunk goes out as it is");
            assertSame(copy, InlinedChunks.of(ByteBuffer.wrap(shared)).array(), "no new copy");
        }
    }

    @Test
    void aChunkIsInlinedWhileOthersComeBetweenAsLongAsItIsWrittenMoreOften() {
        byte[] shared = frame("shared", 500);
        int rounds = 0;
        ByteBuffer out = ByteBuffer.wrap(shared);
        while (out.array() == shared) {
            InlinedChunks.of(ByteBuffer.wrap(frame("own " + rounds, 600)));
            InlinedChunks.of(ByteBuffer.wrap(shared));
            out = InlinedChunks.of(ByteBuffer.wrap(shared));
            rounds++;
            assertTrue(rounds <= InlinedChunks.LEAD, "inlined after " + rounds + " rounds of two shared writes to one own");
        }
    }

    @Test
    void anotherChunkWithALeadTakesTheCopysPlace() {
        byte[] first = frame("first", 500);
        byte[] firstCopy = write(first, InlinedChunks.LEAD).array();
        byte[] second = frame("second", 500);
        byte[] secondCopy = write(second, InlinedChunks.LEAD).array();
        assertNotSame(second, secondCopy);
        ByteBuffer chunk = ByteBuffer.wrap(first);
        assertSame(chunk, InlinedChunks.of(chunk), "the first chunk lost its copy");
        assertNotSame(firstCopy, secondCopy);
    }

    @Test
    void topicsThatTakeTurnsAreNeverCopied() {
        byte[] a = frame("a", 300);
        byte[] b = frame("b", 300);
        for (int i = 0; i < 4 * InlinedChunks.LEAD; i++) {
            ByteBuffer chunk = ByteBuffer.wrap(i % 2 == 0 ? a : b);
            assertSame(chunk, InlinedChunks.of(chunk));
        }
    }

    @Test
    void partOfAnArrayADirectBufferAndALargeChunkGoOutAsTheyAre() {
        byte[] frame = frame("x", 1000);
        byte[] large = frame("large", InlinedChunks.MAX_LENGTH + 1);
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        for (int i = 0; i < 2 * InlinedChunks.LEAD; i++) {
            ByteBuffer part = ByteBuffer.wrap(frame, 0, 999);
            assertSame(part, InlinedChunks.of(part));
            ByteBuffer slice = ByteBuffer.wrap(frame, 1, 999).slice();
            assertSame(slice, InlinedChunks.of(slice));
            ByteBuffer big = ByteBuffer.wrap(large);
            assertSame(big, InlinedChunks.of(big));
            assertSame(direct, InlinedChunks.of(direct));
        }
    }

    @Test
    void eachThreadCountsForItself() throws Exception {
        byte[] frame = frame("shared", 800);
        assertNotSame(frame, write(frame, InlinedChunks.LEAD).array());
        ByteBuffer chunk = ByteBuffer.wrap(frame);
        ByteBuffer onAnotherThread = CompletableFuture.supplyAsync(() -> InlinedChunks.of(chunk)).get();
        assertSame(chunk, onAnotherThread);
    }
}
