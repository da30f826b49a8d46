package io.ssegateway.broker;

import io.ssegateway.event.Event;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The bounded history of one topic in memory: at most {@code maxEvents}, none older than
 * {@code maxAgeMillis}. Remembers the highest id it has let go of, so a replay knows exactly
 * whether it is complete. Thread-safe.
 */
final class TopicHistory {
    private final int maxEvents;
    private final long maxAgeMillis;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    /** Highest seq evicted by either bound; 0 when nothing was evicted (seqs start at 1). */
    private long trimmedUpTo;

    TopicHistory(int maxEvents, long maxAgeMillis) {
        this.maxEvents = maxEvents;
        this.maxAgeMillis = maxAgeMillis;
    }

    synchronized void append(Event event, long nowMillis) {
        evictExpired(nowMillis);
        events.addLast(event);
        while (events.size() > maxEvents) {
            trimmedUpTo = events.removeFirst().seq();
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
            trimmedUpTo = events.removeFirst().seq();
        }
        return events.isEmpty();
    }
}
