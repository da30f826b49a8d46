package io.ssegateway.broker;

import io.ssegateway.event.Event;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bounded history of one topic in memory: at most {@code maxEvents}, none older than
 * {@code maxAgeMillis}. Remembers the highest id it has let go of, so a replay knows exactly
 * whether it is complete. Thread-safe.
 */
final class TopicHistory {
    private final int maxEvents;
    private final long maxAgeMillis;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    /** Idempotency keys of retained events; created on first use, entries leave with their event. */
    private Map<String, Event> byKey;
    /** The key of each retained event, in the same order (null where none); created with {@code byKey}. */
    private ArrayDeque<String> keys;
    /** Highest seq evicted by either bound; 0 when nothing was evicted (seqs start at 1). */
    private long trimmedUpTo;

    TopicHistory(int maxEvents, long maxAgeMillis) {
        this.maxEvents = maxEvents;
        this.maxAgeMillis = maxAgeMillis;
    }

    synchronized void append(Event event, String idempotencyKey, long nowMillis) {
        evictExpired(nowMillis);
        events.addLast(event);
        if (idempotencyKey != null && byKey == null) {
            byKey = new HashMap<>();
            keys = new ArrayDeque<>();
            for (int i = 1; i < events.size(); i++) {
                keys.addLast("");
            }
        }
        if (byKey != null) {
            keys.addLast(idempotencyKey == null ? "" : idempotencyKey);
            if (idempotencyKey != null) {
                byKey.put(idempotencyKey, event);
            }
        }
        while (events.size() > maxEvents) {
            evict();
        }
    }

    /** The retained event published with {@code idempotencyKey}, or null. */
    synchronized Event byKey(String idempotencyKey, long nowMillis) {
        evictExpired(nowMillis);
        return byKey == null ? null : byKey.get(idempotencyKey);
    }

    private void evict() {
        Event gone = events.removeFirst();
        trimmedUpTo = gone.seq();
        if (byKey != null) {
            String key = keys.removeFirst();
            if (!key.isEmpty()) {
                byKey.remove(key, gone);
            }
        }
    }

    /**
     * Adds the retained events with seq greater than {@code afterSeq} to {@code out}, oldest first.
     *
     * @return true if an event with seq greater than {@code afterSeq} was evicted (a gap)
     */
    synchronized boolean collectAfter(long afterSeq, long nowMillis, List<Event> out) {
        evictExpired(nowMillis);
        for (Event e : events) {
            if (e.seq() > afterSeq) {
                out.add(e);
            }
        }
        return trimmedUpTo > afterSeq;
    }

    synchronized long trimmedUpTo() {
        return trimmedUpTo;
    }

    /** Evicts expired events; true if the history is now empty and can be forgotten. */
    synchronized boolean evictExpired(long nowMillis) {
        long oldestAllowed = nowMillis - maxAgeMillis;
        while (!events.isEmpty() && events.peekFirst().publishedAtMillis() < oldestAllowed) {
            evict();
        }
        return events.isEmpty();
    }
}
