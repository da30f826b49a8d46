package io.ssegateway.mercure;

import io.ssegateway.event.EventId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker ids of the latest publisher-chosen Mercure ids this node saw (published here or
 * delivered live), so a resume from such an id rarely has to search the history. Keeps the first
 * update of a reused id, since a resume from a reused id starts after its earliest update.
 */
final class RecentIds {
    private final Map<String, EventId> ids;

    RecentIds(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, EventId> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void seen(String mercureId, EventId brokerId) {
        ids.putIfAbsent(mercureId, brokerId);
    }

    /** The broker id of {@code mercureId}, or null if this node has not seen it lately. */
    synchronized EventId find(String mercureId) {
        return ids.get(mercureId);
    }
}
