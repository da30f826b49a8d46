package io.ssegateway.hub;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A set of subscribers that hands them out {@linkplain Subscriber#fanOutGroup group} by group: the
 * streams of one HTTP/2 connection one after another, then those of no group. What is done to each
 * (an event offered, a heartbeat queued) then wakes a connection's streams together, so their
 * writes leave in a few batches while what they touch is still in the processor's cache; in one
 * set of a million streams they came in hash order, each connection's spread over the whole pass.
 *
 * <p>Safe for concurrent use; iteration is weakly consistent, as a {@link ConcurrentHashMap}'s.
 */
public final class FanOutSet<S extends Subscriber> implements Iterable<S> {
    private final Map<Object, Set<S>> groups = new ConcurrentHashMap<>();
    private final Set<S> ungrouped = ConcurrentHashMap.newKeySet();
    /** Members, counted as they are added and removed: a node's /health asks for it. */
    private final LongAdder size = new LongAdder();

    /** Adds {@code s} (again: no change). */
    public void add(S s) {
        Object group = s.fanOutGroup();
        if (group == null) {
            count(ungrouped.add(s), 1);
        } else {
            // Inside compute, so that a remove emptying the group cannot drop it between the two.
            groups.compute(group, (g, members) -> {
                Set<S> set = members != null ? members : ConcurrentHashMap.newKeySet(1);
                count(set.add(s), 1);
                return set;
            });
        }
    }

    /** Removes {@code s} if it is here; an emptied group goes. */
    public void remove(S s) {
        Object group = s.fanOutGroup();
        if (group == null) {
            count(ungrouped.remove(s), -1);
        } else {
            groups.computeIfPresent(group, (g, members) -> {
                count(members.remove(s), -1);
                return members.isEmpty() ? null : members;
            });
        }
    }

    public boolean isEmpty() {
        return ungrouped.isEmpty() && groups.isEmpty();
    }

    /** How many there are; while members come and go, an estimate, as a {@link ConcurrentHashMap}'s size. */
    public int size() {
        return size.intValue();
    }

    private void count(boolean changed, int by) {
        if (changed) {
            size.add(by);
        }
    }

    @Override
    public void forEach(Consumer<? super S> action) {
        for (Set<S> members : groups.values()) {
            members.forEach(action);
        }
        ungrouped.forEach(action);
    }

    /** Group by group, then the ungrouped. */
    @Override
    public Iterator<S> iterator() {
        return new Iterator<>() {
            private final Iterator<Set<S>> sets = groups.values().iterator();
            private Iterator<S> current = Collections.emptyIterator();
            private boolean ungroupedNext = true;

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (sets.hasNext()) {
                        current = sets.next().iterator();
                    } else if (ungroupedNext) {
                        ungroupedNext = false;
                        current = ungrouped.iterator();
                    } else {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public S next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
