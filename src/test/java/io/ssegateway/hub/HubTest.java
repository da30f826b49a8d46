package io.ssegateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.EventSink;
import io.ssegateway.broker.LocalBroker;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hub on the real in-memory broker: fan-out by topic, first and last interest reaching the
 * broker in order (also under concurrent churn), gaps offered once per stream.
 */
class HubTest {

    /** A stream as the hub sees it: what it was offered, in order. */
    private static final class Recorder implements Subscriber {
        private final List<String> topics;
        final List<String> offered = Collections.synchronizedList(new ArrayList<>());

        Recorder(String... topics) {
            this.topics = List.of(topics);
        }

        @Override
        public List<String> topics() {
            return topics;
        }

        @Override
        public void offer(Event event) {
            offered.add(event.topic() + ":" + event.id());
        }

        @Override
        public void offerGap(String reason, EventId restart) {
            offered.add("gap:" + reason);
        }
    }

    /** The in-memory broker, with the hub's subscribe and unsubscribe calls written down per topic. */
    private static final class CountingBroker implements Broker {
        private final LocalBroker local = new LocalBroker(1000, 60_000, Clock.systemUTC());
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void start(EventSink sink) {
            local.start(sink);
        }

        @Override
        public Event publish(String topic, String type, String data, String idempotencyKey) {
            return local.publish(topic, type, data, idempotencyKey);
        }

        @Override
        public Replay replay(Collection<String> topics, EventId after, int maxBytes) {
            return local.replay(topics, after, maxBytes);
        }

        @Override
        public CompletableFuture<Void> subscribe(String topic) {
            calls.add("+" + topic);
            return local.subscribe(topic);
        }

        @Override
        public void unsubscribe(String topic) {
            calls.add("-" + topic);
            local.unsubscribe(topic);
        }

        @Override
        public boolean isAvailable() {
            return local.isAvailable();
        }

        @Override
        public void close() {
            local.close();
        }
    }

    private final AtomicInteger delivered = new AtomicInteger();
    private final List<String> gaps = Collections.synchronizedList(new ArrayList<>());
    private final CountingBroker broker = new CountingBroker();
    private final Hub<Recorder> hub = new Hub<>(broker, new HubObserver() {
        @Override
        public void framesDelivered(int streams) {
            delivered.addAndGet(streams);
        }

        @Override
        public void gapSignalled(String reason) {
            gaps.add(reason);
        }
    });

    HubTest() {
        broker.start(hub);
    }

    @Test
    void anEventReachesEveryStreamOfItsTopicOnceAndNoOther() {
        Recorder a1 = new Recorder("a");
        Recorder a2 = new Recorder("a", "b");
        Recorder b = new Recorder("b");
        List.of(a1, a2, b).forEach(s -> assertTrue(hub.register(s).isDone(), "memory delivers live at once"));
        Event ea = broker.publish("a", null, "x", null);
        Event eb = broker.publish("b", null, "y", null);
        broker.publish("nobody", null, "z", null);
        assertEquals(List.of("a:" + ea.id()), a1.offered);
        assertEquals(List.of("a:" + ea.id(), "b:" + eb.id()), a2.offered);
        assertEquals(List.of("b:" + eb.id()), b.offered);
        assertEquals(4, delivered.get(), "two for a, two for b, none for a topic nobody wants");
    }

    @Test
    void theBrokerHearsOfATopicsFirstAndLastStreamOnly() {
        Recorder one = new Recorder("a", "b");
        Recorder two = new Recorder("a");
        assertTrue(hub.register(one).isDone());
        assertTrue(hub.register(two).isDone());
        hub.unregister(one);
        assertEquals(List.of("+a", "+b", "-b"), broker.calls, "a keeps a stream; b lost its last");
        hub.unregister(two);
        assertEquals(List.of("+a", "+b", "-b", "-a"), broker.calls);
        broker.publish("a", null, "after", null);
        assertEquals(List.of(), two.offered, "a removed stream is offered nothing");
    }

    @Test
    void aGapOnSeveralTopicsIsOfferedOncePerStream() {
        Recorder both = new Recorder("a", "b");
        Recorder onlyB = new Recorder("b");
        Recorder other = new Recorder("c");
        List.of(both, onlyB, other).forEach(s -> assertTrue(hub.register(s).isDone()));
        hub.gap(List.of("a", "b"), Replay.Gap.EPOCH_CHANGED, null);
        assertEquals(List.of("gap:" + Replay.Gap.EPOCH_CHANGED.wireName()), both.offered);
        assertEquals(List.of("gap:" + Replay.Gap.EPOCH_CHANGED.wireName()), onlyB.offered);
        assertEquals(List.of(), other.offered);
        assertEquals(List.of(Replay.Gap.EPOCH_CHANGED.wireName()), gaps, "reported once");
    }

    /** Streams of one topic come and go on many threads: the broker's calls for it always alternate. */
    @Test
    void underConcurrentChurnSubscribeAndUnsubscribeAlternateAndEndBalanced() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Recorder s = new Recorder("churn");
                        hub.register(s).join();
                        hub.unregister(s);
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> calls = List.copyOf(broker.calls);
        assertTrue(calls.size() >= 2 && calls.size() % 2 == 0, calls.size() + " calls");
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i % 2 == 0 ? "+churn" : "-churn", calls.get(i), "call " + i);
        }
    }
}
