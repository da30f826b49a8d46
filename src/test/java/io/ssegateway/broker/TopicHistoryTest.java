package io.ssegateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One topic's bounded history: both bounds, the gap it reports, and idempotency keys leaving with their events. */
class TopicHistoryTest {
    private static Event event(long seq, long publishedAt) {
        return Event.create(new EventId("e1", seq), "t", null, "d" + seq, publishedAt);
    }

    private static List<Long> seqsAfter(TopicHistory h, long after, long now, boolean expectGap) {
        List<Event> out = new ArrayList<>();
        assertEquals(expectGap, h.collectAfter(after, now, out), "gap after " + after);
        return out.stream().map(Event::seq).toList();
    }

    @Test
    void theCountBoundKeepsTheNewestAndAReplayFromBeforeThemReportsTheGap() {
        TopicHistory h = new TopicHistory(3, 60_000);
        for (long seq = 1; seq <= 5; seq++) {
            h.append(event(seq, 1_000), null, 1_000);
        }
        assertEquals(2, h.trimmedUpTo());
        assertEquals(List.of(3L, 4L, 5L), seqsAfter(h, 0, 1_000, true));
        assertEquals(List.of(3L, 4L, 5L), seqsAfter(h, 1, 1_000, true), "event 2 is gone");
        assertEquals(List.of(3L, 4L, 5L), seqsAfter(h, 2, 1_000, false), "nothing after 2 is missing");
        assertEquals(List.of(5L), seqsAfter(h, 4, 1_000, false));
        assertEquals(List.of(), seqsAfter(h, 5, 1_000, false));
    }

    @Test
    void theAgeBoundEvictsOnEveryReadAndAnEmptyHistoryCanBeForgotten() {
        TopicHistory h = new TopicHistory(100, 10_000);
        h.append(event(1, 1_000), null, 1_000);
        h.append(event(2, 5_000), null, 5_000);
        assertEquals(List.of(2L), seqsAfter(h, 0, 12_000, true), "event 1 older than 10 s");
        assertFalse(h.evictExpired(12_000));
        assertTrue(h.evictExpired(15_001), "everything expired");
        assertEquals(2, h.trimmedUpTo());
    }

    @Test
    void anIdempotencyKeyFindsItsEventUntilTheEventLeavesByEitherBound() {
        TopicHistory h = new TopicHistory(2, 10_000);
        h.append(event(1, 1_000), null, 1_000);
        Event keyed = event(2, 1_000);
        h.append(keyed, "k-2", 1_000);
        assertSame(keyed, h.byKey("k-2", 1_000));
        assertNull(h.byKey("other", 1_000));
        h.append(event(3, 1_000), "k-3", 1_000);
        assertSame(keyed, h.byKey("k-2", 1_000), "event 1 left; 2 stays");
        h.append(event(4, 1_000), null, 1_000);
        assertNull(h.byKey("k-2", 1_000), "the key left with its event (count bound)");
        assertEquals(3, h.byKey("k-3", 1_000).seq());
        assertNull(h.byKey("k-3", 11_001), "and by the age bound");
    }

    @Test
    void aKeyReusedByALaterEventIsNotLostWhenTheEarlierOneLeaves() {
        TopicHistory h = new TopicHistory(2, 60_000);
        h.append(event(1, 1_000), "same", 1_000);
        Event later = event(2, 1_000);
        h.append(later, "same", 1_000);
        h.append(event(3, 1_000), null, 1_000);
        assertSame(later, h.byKey("same", 1_000), "evicting event 1 must not drop the key now naming event 2");
    }
}
