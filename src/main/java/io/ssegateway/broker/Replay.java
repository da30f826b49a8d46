package io.ssegateway.broker;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.List;
import java.util.Objects;

/**
 * What a resuming stream must send before going live.
 *
 * @param events  the retained events after the client's id, in id order
 * @param gap     why events between the client's id and {@code events} are missing, or null if none are
 * @param restart for {@link Gap#EPOCH_CHANGED} and {@link Gap#UNKNOWN_ID}: the id that makes a later
 *                resume correct ({@code <current epoch>-0}); null otherwise
 */
public record Replay(List<Event> events, Gap gap, EventId restart) {
    public Replay {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }

    /** Why a replay cannot be complete. Its {@link #wireName()} is the documented {@code gap} reason. */
    public enum Gap {
        /** Events after the client's id were trimmed from history (count or age bound). */
        HISTORY_TRIMMED("history-trimmed"),
        /** The id is from an earlier life of the sequence (restart, Redis lost its data). */
        EPOCH_CHANGED("epoch-changed"),
        /** The id is of the current epoch but beyond anything issued. */
        UNKNOWN_ID("unknown-id"),
        /** The stream was too slow and, under {@code drop-oldest}, frames were dropped. */
        DROPPED("slow-consumer-dropped");

        private final String wireName;

        Gap(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
