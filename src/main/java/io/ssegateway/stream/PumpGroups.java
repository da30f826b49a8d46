package io.ssegateway.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One {@link PumpGroup} per HTTP/2 connection that carries streams, by the container's connection
 * id, kept while a stream of the connection is open.
 */
final class PumpGroups {
    private final Executor executor;
    private final Map<String, Counted> groups = new ConcurrentHashMap<>();

    /** A group and how many open streams use it; changed only inside the map's compute calls. */
    private static final class Counted {
        final PumpGroup group;
        int streams;

        Counted(PumpGroup group) {
            this.group = group;
        }
    }

    PumpGroups(Executor executor) {
        this.executor = executor;
    }

    /** The group of connection {@code id}, for one more stream; give it back with {@link #leave}. */
    PumpGroup join(String id) {
        return groups.compute(id, (k, c) -> {
            Counted counted = c != null ? c : new Counted(new PumpGroup(executor));
            counted.streams++;
            return counted;
        }).group;
    }

    /** One stream of connection {@code id} closed; the group goes with the connection's last. */
    void leave(String id) {
        groups.computeIfPresent(id, (k, c) -> --c.streams == 0 ? null : c);
    }
}
