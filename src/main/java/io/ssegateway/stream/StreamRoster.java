package io.ssegateway.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every open stream of a node, kept in {@value #SLICES} slices so that the heartbeat visits one
 * slice per tick: a node of 1,000,000 streams then writes 31,250 heartbeats a tick, spread over
 * the interval, instead of 1,000,000 at once. A stream's slice is fixed by its identity hash.
 */
final class StreamRoster {
    /** How many ticks one heartbeat interval is divided into. */
    static final int SLICES = 32;

    private final List<Set<SseStream>> slices = new ArrayList<>(SLICES);

    StreamRoster() {
        for (int i = 0; i < SLICES; i++) {
            slices.add(ConcurrentHashMap.newKeySet());
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
        for (Set<SseStream> slice : slices) {
            slice.forEach(action);
        }
    }

    /**
     * Runs {@code action} for every stream until {@code deadlineNanos} ({@link System#nanoTime}
     * time) passes; returns how many it ran for.
     */
    int forEachUntil(long deadlineNanos, Consumer<SseStream> action) {
        int done = 0;
        for (Set<SseStream> slice : slices) {
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
        for (Set<SseStream> slice : slices) {
            size += slice.size();
        }
        return size;
    }

    private Set<SseStream> sliceOf(SseStream stream) {
        return slices.get(Math.floorMod(System.identityHashCode(stream), SLICES));
    }
}
