package io.ssegateway.mercure;

import io.ssegateway.event.EventId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this node saw of the Mercure log (updates published here or delivered live): the broker ids
 * of the latest publisher-chosen ids, so a resume from such an id rarely has to search the history
 * (the first update of a reused id is kept, since a resume from a reused id starts after its
 * earliest update), and the latest update, the cursor the subscription API hands out.
 */
final class RecentIds {
    private final Map<String, EventId> ids;
    private EventId latest;

    RecentIds(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, EventId> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Notes the update stored as {@code brokerId}; {@code mercureId} is its publisher's id, or null. */
    synchronized void seen(String mercureId, EventId brokerId) {
        if (mercureId != null) {
            ids.putIfAbsent(mercureId, brokerId);
        }
        if (latest == null || !latest.epoch().equals(brokerId.epoch()) || brokerId.seq() > latest.seq()) {
            latest = brokerId;
        }
    }

    /**
     * The latest update this node saw, or null. Never later than the latest the hub dispatched, so a
     * subscriber resuming from it misses nothing (it may see updates twice).
     */
    synchronized EventId latest() {
        return latest;
    }

    /** The broker id of {@code mercureId}, or null if this node has not seen it lately. */
    synchronized EventId find(String mercureId) {
        return ids.get(mercureId);
    }
}
