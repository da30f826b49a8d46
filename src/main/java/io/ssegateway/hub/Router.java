package io.ssegateway.hub;

import io.ssegateway.event.Event;
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

    /** Every event to every stream, a connection's streams one after another ({@link FanOutSet}). */
    final class Broadcast<S extends Subscriber> implements Router<S> {
        private final FanOutSet<S> streams = new FanOutSet<>();

        @Override
        public void add(S stream) {
            streams.add(stream);
        }

        @Override
        public boolean remove(S stream) {
            streams.remove(stream);
            return streams.isEmpty();
        }

        @Override
        public int route(Event event, Consumer<S> to) {
            int n = 0;
            for (S stream : streams) {
                to.accept(stream);
                n++;
            }
            return n;
        }

        @Override
        public void forEach(Consumer<S> action) {
            streams.forEach(action);
        }
    }
}
