package io.ssegateway.hub;

import io.ssegateway.event.Event;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The streams of one topic, and which of them get each event. The default, {@link Broadcast},
 * gives every event to every stream; a topic whose streams pick events by content (the Mercure log)
 * has a router that indexes their {@link Selector}s, so an event is not tested against every one.
 * Calls for one topic come from the hub: add and remove serialized, route from the broker's thread.
 */
public interface Router<S extends Subscriber> {
    void add(S stream);

    /** Removes {@code stream}; returns true if none is left. */
    boolean remove(S stream);

    /** Hands {@code event} to each stream that wants it, once; returns how many. Never blocks. */
    int route(Event event, Consumer<S> to);

    void forEach(Consumer<S> action);

    /**
     * Every event to every stream, handed out {@linkplain Subscriber#fanOutGroup group} by group: the
     * streams of one HTTP/2 connection one after another, so that their connection's writes leave
     * together while what they touch is still in the processor's cache. (In one set of a million
     * streams they came in hash order, each connection's spread over the whole broadcast.)
     */
    final class Broadcast<S extends Subscriber> implements Router<S> {
        private final Map<Object, Set<S>> groups = new ConcurrentHashMap<>();
        private final Set<S> ungrouped = ConcurrentHashMap.newKeySet();

        @Override
        public void add(S stream) {
            Object group = stream.fanOutGroup();
            if (group == null) {
                ungrouped.add(stream);
            } else {
                groups.computeIfAbsent(group, g -> ConcurrentHashMap.newKeySet(1)).add(stream);
            }
        }

        @Override
        public boolean remove(S stream) {
            Object group = stream.fanOutGroup();
            if (group == null) {
                ungrouped.remove(stream);
            } else {
                groups.computeIfPresent(group, (g, streams) -> streams.remove(stream) && streams.isEmpty() ? null : streams);
            }
            return ungrouped.isEmpty() && groups.isEmpty();
        }

        @Override
        public int route(Event event, Consumer<S> to) {
            int n = 0;
            for (Set<S> group : groups.values()) {
                for (S stream : group) {
                    to.accept(stream);
                    n++;
                }
            }
            for (S stream : ungrouped) {
                to.accept(stream);
                n++;
            }
            return n;
        }

        @Override
        public void forEach(Consumer<S> action) {
            groups.values().forEach(group -> group.forEach(action));
            ungrouped.forEach(action);
        }
    }
}
