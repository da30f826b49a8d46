package io.ssegateway.stream;

import io.ssegateway.hub.FanOutSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every open stream of a node, kept in {@value #SLICES} slices so that the heartbeat visits one
 * slice per tick: a node of 1,000,000 streams then writes about 31,000 heartbeats a tick, spread over
 * the interval, instead of 1,000,000 at once. A stream's slice is fixed by the hash of its fan-out
 * group (its HTTP/2 connection's), or its own if it has none: a connection's streams get
 * their heartbeats in one tick, one after another ({@link FanOutSet}), so they leave in a few
 * batched writes rather than one at a time.
 */
final class StreamRoster {
    /** How many ticks one heartbeat interval is divided into. */
    static final int SLICES = 32;

    private final List<FanOutSet<SseStream>> slices = new ArrayList<>(SLICES);

    StreamRoster() {
        for (int i = 0; i < SLICES; i++) {
            slices.add(new FanOutSet<>());
        }
    }

    void add(SseStream stream) {
        sliceOf(stream).add(stream);
    }

    void remove(SseStream stream) {
        sliceOf(stream).remove(stream);
    }

    /** Runs {@code action} for every stream of slice {@code tick} (modulo {@link #SLICES}). */
    void forEachInSlice(long tick, Consumer<SseStream> action) {
        slices.get((int) Math.floorMod(tick, (long) SLICES)).forEach(action);
    }

    void forEach(Consumer<SseStream> action) {
        for (FanOutSet<SseStream> slice : slices) {
            slice.forEach(action);
        }
    }

    /**
     * Runs {@code action} for every stream until {@code deadlineNanos} ({@link System#nanoTime}
     * time) passes; returns how many it ran for.
     */
    int forEachUntil(long deadlineNanos, Consumer<SseStream> action) {
        int done = 0;
        for (FanOutSet<SseStream> slice : slices) {
            for (SseStream stream : slice) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    return done;
                }
                action.accept(stream);
                done++;
            }
        }
        return done;
    }

    int size() {
        int size = 0;
        for (FanOutSet<SseStream> slice : slices) {
            size += slice.size();
        }
        return size;
    }

    private FanOutSet<SseStream> sliceOf(SseStream stream) {
        Object group = stream.fanOutGroup();
        // The group's own hash, as FanOutSet keys it: equal groups are one group, in one slice.
        return slices.get(Math.floorMod((group != null ? group : stream).hashCode(), SLICES));
    }
}
