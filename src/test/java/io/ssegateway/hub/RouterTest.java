package io.ssegateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default router: every event to every stream once, the streams of one fan-out group one after
 * another; it says when its last stream left.
 */
class RouterTest {
    @Test
    void broadcastRoutesEveryEventToEachStreamOnceAndReportsTheLastRemoval() {
        Router<Member> router = new Router.Broadcast<>();
        Member a = new Member("a");
        Member b = new Member("b");
        router.add(a);
        router.add(b);
        router.add(a);
        List<Member> got = new ArrayList<>();
        Event e = Event.create(new EventId("e1", 1), "t", null, "x", 1L);
        assertEquals(2, router.route(e, got::add), "a stream added twice is one stream");
        assertEquals(2, got.size());
        assertTrue(got.containsAll(List.of(a, b)));
        assertFalse(router.remove(a), "b is left");
        assertFalse(router.remove(a), "removing twice changes nothing");
        assertTrue(router.remove(b), "the last one left");
        got.clear();
        assertEquals(0, router.route(e, got::add));
        List<Member> each = new ArrayList<>();
        router.forEach(each::add);
        assertEquals(List.of(), each);
    }

    @Test
    void broadcastHandsOutEachGroupsStreamsOneAfterAnother() {
        Router<Member> router = new Router.Broadcast<>();
        Object one = new Object();
        Object two = new Object();
        List<Member> added = Member.interleaved(50, one, two, null);
        added.forEach(router::add);
        List<Member> got = new ArrayList<>();
        Event e = Event.create(new EventId("e1", 1), "t", null, "x", 1L);
        assertEquals(150, router.route(e, got::add));
        assertEquals(150, got.size());
        assertTrue(got.containsAll(added));
        List<Object> runs = Member.runs(got);
        assertEquals(3, runs.size(), "each group's streams in one run, the ungrouped in one: " + runs);
        List<Member> each = new ArrayList<>();
        router.forEach(each::add);
        assertEquals(150, each.size());
        for (Member s : added.subList(0, 149)) {
            assertFalse(router.remove(s));
        }
        assertTrue(router.remove(added.get(149)), "the last one left, of whichever group");
        got.clear();
        assertEquals(0, router.route(e, got::add));
    }
}
