package io.ssegateway.broker;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory broker of a single process: the default when no Redis is configured.
 *
 * <p>One lock orders publishing: the id is assigned, the event stored and handed to the sink
 * while it is held, so the sink sees events in id order and a stream that registered before a
 * replay snapshot cannot miss an event stored after it. The sink only enqueues (never writes to a
 * socket), so holding the lock for the fan-out is short and bounded.
 *
 * <p>The epoch is random per process: ids from before a restart are answered with a gap.
 */
public final class LocalBroker implements Broker {
    private final Presence presence = new Presence.Local();
    private final String epoch = EventId.newEpoch();
    private final int maxEvents;
    private final long maxAgeMillis;
    private final Clock clock;
    private final Map<String, TopicHistory> histories = new ConcurrentHashMap<>();
    private final Object publishLock = new Object();
    /** Last seq assigned; guarded by publishLock. */
    private long seq;
    /** Highest seq trimmed from a history that was then forgotten; guarded by publishLock. */
    private long forgottenUpTo;
    private volatile EventSink sink;

    public LocalBroker(int maxEvents, long maxAgeMillis, Clock clock) {
        this.maxEvents = maxEvents;
        this.maxAgeMillis = maxAgeMillis;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void start(EventSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public Event publish(String topic, String type, String data, String idempotencyKey) {
        long now = clock.millis();
        synchronized (publishLock) {
            TopicHistory history = histories.computeIfAbsent(topic, t -> new TopicHistory(maxEvents, maxAgeMillis));
            Event earlier = idempotencyKey == null ? null : history.byKey(idempotencyKey, now);
            if (earlier != null) {
                return earlier;
            }
            Event event = Event.create(new EventId(epoch, ++seq), topic, type, data, now);
            history.append(event, idempotencyKey, now);
            EventSink s = sink;
            if (s != null) {
                s.deliver(event);
            }
            return event;
        }
    }

    /**
     * Reads every topic's history in one consistent cut, under the publish lock: an event is either
     * in the snapshot or published after it (and then delivered live). Reading topics one by one
     * would let a later event of one topic into the snapshot while an earlier event of another
     * topic arrives live behind it, where the stream would take it for a duplicate.
     */
    @Override
    public Replay replay(Collection<String> topics, EventId after, int maxBytes) {
        long now = clock.millis();
        List<Event> events = new ArrayList<>();
        Replay.Gap gap = null;
        synchronized (publishLock) {
            long afterSeq;
            if (!after.epoch().equals(epoch)) {
                gap = Replay.Gap.EPOCH_CHANGED;
                afterSeq = 0;
            } else if (after.seq() > seq) {
                gap = Replay.Gap.UNKNOWN_ID;
                afterSeq = 0;
            } else {
                afterSeq = after.seq();
            }
            for (String topic : topics) {
                TopicHistory history = histories.get(topic);
                boolean trimmed = history != null ? history.collectAfter(afterSeq, now, events) : forgottenUpTo > afterSeq;
                if (trimmed && gap == null) {
                    gap = Replay.Gap.HISTORY_TRIMMED;
                }
            }
        }
        events.sort(Comparator.comparingLong(Event::seq));
        EventId restart = gap == Replay.Gap.EPOCH_CHANGED || gap == Replay.Gap.UNKNOWN_ID ? new EventId(epoch, 0) : null;
        // The frames are shared with history: a page costs references, not copies.
        return Replay.page(events, maxBytes, gap, restart, false);
    }

    /**
     * Drops expired events and forgets topics whose history is empty, so memory follows the
     * history bounds also for topics nobody publishes to any more. Called periodically.
     */
    @Override
    public void housekeeping() {
        long now = clock.millis();
        synchronized (publishLock) {
            histories.entrySet().removeIf(entry -> {
                if (!entry.getValue().evictExpired(now)) {
                    return false;
                }
                // Remember what the forgotten topic had trimmed: a later resume must still see its gap.
                forgottenUpTo = Math.max(forgottenUpTo, entry.getValue().trimmedUpTo());
                return true;
            });
        }
    }

    @Override
    public CompletableFuture<Void> subscribe(String topic) {
        // Every event is handed to the sink; the hub ignores topics nobody wants.
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unsubscribe(String topic) {
        // Nothing to release in memory.
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public void close() {
        sink = null;
    }

    @Override
    public String toString() {
        return "LocalBroker{in memory, epoch " + epoch + "}";
    }

    /** The epoch of this process's sequence. */
    public String epoch() {
        return epoch;
    }

    @Override
    public Presence presence() {
        return presence;
    }
}
