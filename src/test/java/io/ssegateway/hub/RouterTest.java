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
    private record Stream(String name, Object group) implements Subscriber {
        Stream(String name) {
            this(name, null);
        }

        @Override
        public Object fanOutGroup() {
            return group;
        }

        @Override
        public List<String> topics() {
            return List.of("t");
        }

        @Override
        public void offer(Event event) {
            // the router hands streams to its caller; nothing is offered here
        }

        @Override
        public void offerGap(String reason, EventId restart) {
            // as above
        }
    }

    @Test
    void broadcastRoutesEveryEventToEachStreamOnceAndReportsTheLastRemoval() {
        Router<Stream> router = new Router.Broadcast<>();
        Stream a = new Stream("a");
        Stream b = new Stream("b");
        router.add(a);
        router.add(b);
        router.add(a);
        List<Stream> got = new ArrayList<>();
        Event e = Event.create(new EventId("e1", 1), "t", null, "x", 1L);
        assertEquals(2, router.route(e, got::add), "a stream added twice is one stream");
        assertEquals(2, got.size());
        assertTrue(got.containsAll(List.of(a, b)));
        assertFalse(router.remove(a), "b is left");
        assertFalse(router.remove(a), "removing twice changes nothing");
        assertTrue(router.remove(b), "the last one left");
        got.clear();
        assertEquals(0, router.route(e, got::add));
        List<Stream> each = new ArrayList<>();
        router.forEach(each::add);
        assertEquals(List.of(), each);
    }

    @Test
    void broadcastHandsOutEachGroupsStreamsOneAfterAnother() {
        Router<Stream> router = new Router.Broadcast<>();
        Object one = new Object();
        Object two = new Object();
        List<Stream> added = new ArrayList<>();
        // Added interleaved, as the streams of connections opening at once are.
        for (int i = 0; i < 50; i++) {
            added.add(new Stream("one-" + i, one));
            added.add(new Stream("two-" + i, two));
            added.add(new Stream("alone-" + i));
        }
        added.forEach(router::add);
        List<Stream> got = new ArrayList<>();
        Event e = Event.create(new EventId("e1", 1), "t", null, "x", 1L);
        assertEquals(150, router.route(e, got::add));
        assertEquals(150, got.size());
        assertTrue(got.containsAll(added));
        List<Object> runs = new ArrayList<>();
        for (Stream s : got) {
            Object group = s.group() == null ? "none" : s.group();
            if (runs.isEmpty() || runs.get(runs.size() - 1) != group) {
                runs.add(group);
            }
        }
        assertEquals(3, runs.size(), "each group's streams in one run, the ungrouped in one: " + runs);
        List<Stream> each = new ArrayList<>();
        router.forEach(each::add);
        assertEquals(150, each.size());
        for (Stream s : added.subList(0, 149)) {
            assertFalse(router.remove(s));
        }
        assertTrue(router.remove(added.get(149)), "the last one left, of whichever group");
        got.clear();
        assertEquals(0, router.route(e, got::add));
    }
}
