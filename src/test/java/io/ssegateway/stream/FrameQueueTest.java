package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ssegateway.config.SlowConsumerPolicy;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The queue's wire bytes: where the stream's retry: field goes, coalescing, and the drop-oldest gap. */
class FrameQueueTest {
    private static final byte[] RETRY = FrameEncoder.retryField(3000);

    private static Event event(long seq, String data) {
        return Event.create(new EventId("e1", seq), "t", null, data, 1L);
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void theRetryFieldJoinsTheFirstEventsBlockAfterAnyCommentsAndIsSentOnce() {
        FrameQueue q = new FrameQueue(1 << 16, SlowConsumerPolicy.CLOSE, new LongAdder());
        q.add(ControlFrames.preamble());
        q.retryWithFirstEvent(RETRY);
        assertEquals(": sse-gateway\n", text(q.drain()), "a comment alone goes out without the retry field");
        q.add(ControlFrames.heartbeat());
        q.offer(event(1, "a"));
        q.offer(event(2, "b"));
        assertEquals(": heartbeat\nretry: 3000\nid: e1-1\ndata: a\n\nid: e1-2\ndata: b\n\n", text(q.drain()));
        q.offer(event(3, "c"));
        assertEquals("id: e1-3\ndata: c\n\n", text(q.drain()), "once only");
        assertNull(q.drain());
    }

    @Test
    void aSingleFirstEventGetsTheRetryFieldToo() {
        FrameQueue q = new FrameQueue(1 << 16, SlowConsumerPolicy.CLOSE, new LongAdder());
        q.retryWithFirstEvent(RETRY);
        q.offer(event(1, "a"));
        assertEquals("retry: 3000\nid: e1-1\ndata: a\n\n", text(q.drain()));
    }

    @Test
    void underDropOldestTheGapEventCarriesTheRetryFieldAndCountsTheDropped() {
        int one = event(1, "x".repeat(100)).frame().length;
        FrameQueue q = new FrameQueue(one * 2, SlowConsumerPolicy.DROP_OLDEST, new LongAdder());
        q.retryWithFirstEvent(RETRY);
        for (long seq = 1; seq <= 5; seq++) {
            q.offer(event(seq, "x".repeat(100)));
        }
        String out = text(q.drain());
        assertEquals(0, out.indexOf("retry: 3000\nevent: gap\ndata: {\"reason\":\"slow-consumer-dropped\",\"dropped\":3}\n\n"), out);
        assertEquals(2, out.split("id: ").length - 1, "the two newest stay: " + out);
        assertEquals(0, q.bytes());
    }

    @Test
    void theNodesTallyFollowsEveryChangeOfEveryQueue() {
        LongAdder node = new LongAdder();
        int one = event(1, "x".repeat(100)).frame().length;
        FrameQueue a = new FrameQueue(one * 2, SlowConsumerPolicy.DROP_OLDEST, node);
        FrameQueue b = new FrameQueue(1 << 16, SlowConsumerPolicy.CLOSE, node);
        a.add(ControlFrames.preamble());
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
