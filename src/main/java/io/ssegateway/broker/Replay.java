package io.ssegateway.broker;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One page of what a resuming stream must send before going live.
 *
 * @param events  retained events after the requested id, in id order; at most the page's byte
 *                budget, but always at least one event when any is retained
 * @param gap     why events between the requested id and {@code events} are missing, or null if none are
 * @param restart for {@link Gap#EPOCH_CHANGED} and {@link Gap#UNKNOWN_ID}: the id that makes a later
 *                resume correct ({@code <current epoch>-0}); null otherwise
 * @param more    true if history holds further events after the last of {@code events}: the stream
 *                asks for the next page once it has written this one
 * @param through the id of the last event this page covers, or null if it covers none: the next
 *                page starts after it. The last of {@code events}, unless the page was filtered
 *                ({@link #keep}) and covers events its stream does not want.
 */
public record Replay(List<Event> events, Gap gap, EventId restart, boolean more, EventId through) {
    public Replay {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }

    /** A page that covers exactly its events. */
    public Replay(List<Event> events, Gap gap, EventId restart, boolean more) {
        this(events, gap, restart, more, events.isEmpty() ? null : events.get(events.size() - 1).id());
    }

    /** This page with only the events {@code wanted} accepts; it still covers the others. */
    public Replay keep(Predicate<Event> wanted) {
        List<Event> kept = new ArrayList<>(events.size());
        for (Event e : events) {
            if (wanted.test(e)) {
                kept.add(e);
            }
        }
        return new Replay(kept, gap, restart, more, through);
    }

    /**
     * Cuts {@code sorted} (events in id order) to {@code maxBytes} of frames, keeping at least one.
     *
     * @param moreBeyond true if events exist after the last of {@code sorted} that it does not hold
     */
    public static Replay page(List<Event> sorted, int maxBytes, Gap gap, EventId restart, boolean moreBeyond) {
        int bytes = 0;
        int n = 0;
        while (n < sorted.size() && (n == 0 || bytes + sorted.get(n).frame().length <= maxBytes)) {
            bytes += sorted.get(n).frame().length;
            n++;
        }
        return new Replay(sorted.subList(0, n), gap, restart, moreBeyond || n < sorted.size());
    }

    /** Why a replay cannot be complete. Its {@link #wireName()} is the documented {@code gap} reason. */
    public enum Gap {
        /** Events after the client's id were trimmed from history (count or age bound). */
        HISTORY_TRIMMED("history-trimmed"),
        /** The id is from an earlier life of the sequence (restart, Redis lost its data). */
        EPOCH_CHANGED("epoch-changed"),
        /** The id is of the current epoch but beyond anything issued. */
        UNKNOWN_ID("unknown-id");

        private final String wireName;

        Gap(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
