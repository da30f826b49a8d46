package io.ssegateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default router: every event to every stream once; it says when its last stream left. */
class RouterTest {
    private record Stream(String name) implements Subscriber {
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
}
