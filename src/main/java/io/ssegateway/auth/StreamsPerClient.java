package io.ssegateway.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts streams per client address against an optional maximum. A counter that drops to zero
 * is removed, so the map holds only clients with open streams.
 */
public final class StreamsPerClient {
    private final int max;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /** @param max most streams per client; 0 disables the limit */
    public StreamsPerClient(int max) {
        this.max = max;
    }

    /** Takes a slot for {@code client}; false if it already holds the maximum. */
    public boolean tryAcquire(String client) {
        if (max == 0) {
            return true;
        }
        boolean[] taken = {false};
        open.compute(client, (c, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    /** Returns a slot taken by {@link #tryAcquire}. */
    public void release(String client) {
        if (max == 0) {
            return;
        }
        open.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
    }

    public int max() {
        return max;
    }
}
