package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ssegateway.config.SlowConsumerPolicy;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The queue's wire bytes: the preamble with the stream's retry: field, coalescing, and the drop-oldest gap. */
class FrameQueueTest {

    private static Event event(long seq, String data) {
        return Event.create(new EventId("e1", seq), "t", null, data, 1L);
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void thePreambleCarriesTheRetryFieldWithoutEndingABlockAndTheFirstEventGoesOutAsItIs() {
        FrameQueue q = new FrameQueue(1 << 16, SlowConsumerPolicy.CLOSE, new LongAdder());
        q.add(ControlFrames.preamble(3000));
        assertEquals(": sse-gateway\nretry: 3000\n", text(q.drain()), "no blank line: the field joins the first event's block");
        q.add(ControlFrames.heartbeat());
        q.offer(event(1, "a"));
        q.offer(event(2, "b"));
        assertEquals(": heartbeat\nid: e1-1\ndata: a\n\nid: e1-2\ndata: b\n\n", text(q.drain()));
        Event third = event(3, "c");
        q.offer(third);
        assertSame(third.frame(), q.drain().array(), "a single frame is wrapped, not copied, the stream's first included");
        assertNull(q.drain());
    }

    @Test
    void underDropOldestTheGapEventComesFirstAndCountsTheDropped() {
        int one = event(1, "x".repeat(100)).frame().length;
        FrameQueue q = new FrameQueue(one * 2, SlowConsumerPolicy.DROP_OLDEST, new LongAdder());
        for (long seq = 1; seq <= 5; seq++) {
            q.offer(event(seq, "x".repeat(100)));
        }
        String out = text(q.drain());
        assertEquals(0, out.indexOf("event: gap\ndata: {\"reason\":\"slow-consumer-dropped\",\"dropped\":3}\n\n"), out);
        assertEquals(2, out.split("id: ").length - 1, "the two newest stay: " + out);
        assertEquals(0, q.bytes());
    }

    @Test
    void theNodesTallyFollowsEveryChangeOfEveryQueue() {
        LongAdder node = new LongAdder();
        int one = event(1, "x".repeat(100)).frame().length;
        FrameQueue a = new FrameQueue(one * 2, SlowConsumerPolicy.DROP_OLDEST, node);
        FrameQueue b = new FrameQueue(1 << 16, SlowConsumerPolicy.CLOSE, node);
        a.add(ControlFrames.preamble(3000));
        b.offer(event(1, "y"));
        assertEquals(a.bytes() + b.bytes(), node.sum(), "added");
        for (long seq = 1; seq <= 5; seq++) {
            a.offer(event(seq, "x".repeat(100)));
        }
        assertEquals(a.bytes() + b.bytes(), node.sum(), "after drop-oldest made room");
        a.drain();
        assertEquals(b.bytes(), node.sum(), "drained");
        b.offer(event(2, "z"));
        b.clear();
        assertEquals(0, node.sum(), "cleared");
    }
}
