package io.ssegateway.event;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of an event: {@code <epoch>-<seq>}, for example {@code k2f9x0qz-42}.
 *
 * <p>{@code seq} comes from the one increasing sequence of a broker (per Redis, or per process in
 * memory mode). {@code epoch} names one life of that sequence: when the sequence restarts (a
 * restarted process, a Redis that lost its data) the epoch changes, so an id from an earlier life
 * is recognised and answered with a gap signal instead of events that merely have bigger numbers.
 * Clients treat ids as opaque strings.
 */
public record EventId(String epoch, long seq) implements Comparable<EventId> {
    /** Lower-case base-36, 1 to 16 characters: safe in an {@code id:} line and a query string. */
    private static final Pattern EPOCH = Pattern.compile("[0-9a-z]{1,16}");

    public EventId {
        Objects.requireNonNull(epoch, "epoch");
        if (!EPOCH.matcher(epoch).matches()) {
            throw new IllegalArgumentException("epoch must be 1-16 characters of [0-9a-z]: " + epoch);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
    }

    /**
     * A fresh random epoch for a new life of a sequence: 52 random bits, so two lives never share
     * one in practice.
     */
    public static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() >>> 12, 36);
    }

    /**
     * Parses an id as sent in {@code Last-Event-ID} or {@code lastEventId}.
     *
     * @throws IllegalArgumentException if the text is not an id this server could have issued
     */
    public static EventId parse(String text) {
        Objects.requireNonNull(text, "text");
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1 || text.length() > 40) {
            throw new IllegalArgumentException("expected <epoch>-<sequence>");
        }
        String seqText = text.substring(dash + 1);
        for (int i = 0; i < seqText.length(); i++) {
            if (seqText.charAt(i) < '0' || seqText.charAt(i) > '9') {
                throw new IllegalArgumentException("sequence must be decimal digits");
            }
        }
        long seq;
        try {
            seq = Long.parseLong(seqText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sequence out of range");
        }
        return new EventId(text.substring(0, dash), seq);
    }

    /** Orders by sequence; only meaningful for ids of the same epoch. */
    @Override
    public int compareTo(EventId other) {
        return Long.compare(seq, other.seq);
    }

    @Override
    public String toString() {
        return epoch + "-" + seq;
    }
}
