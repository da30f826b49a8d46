package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteBatchTest {
    @Test
    void writesAreHeldOnlyWhileABatchIsOpenOnTheThreadAndMadeInOrderWhenItCloses() {
        List<String> made = new ArrayList<>();
        assertFalse(WriteBatch.hold(() -> made.add("none open")), "no batch: the caller writes now");
        try (WriteBatch batch = WriteBatch.open()) {
            assertTrue(WriteBatch.hold(() -> made.add("first")));
            assertTrue(WriteBatch.hold(() -> {
                made.add("second");
                // What a held write sets off (the flusher's next write) is not held again.
                assertFalse(WriteBatch.hold(() -> made.add("never")));
            }));
            assertTrue(WriteBatch.hold(() -> {
                throw new IllegalStateException("one connection's failure");
            }));
            assertTrue(WriteBatch.hold(() -> made.add("third")));
            assertEquals(List.of(), made, "nothing made while the batch is open");
        }
        assertEquals(List.of("first", "second", "third"), made, "made in order, past a failed one");
        assertFalse(WriteBatch.hold(() -> made.add("after")), "closed: nothing held");
    }

    @Test
    void aThreadOpensOneBatchAtATime() {
        try (WriteBatch batch = WriteBatch.open()) {
            assertThrows(IllegalStateException.class, WriteBatch::open);
        }
        try (WriteBatch again = WriteBatch.open()) {
            assertTrue(WriteBatch.hold(() -> { }), "a new batch after the first closed");
        }
    }
}
