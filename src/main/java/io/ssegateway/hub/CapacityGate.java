package io.ssegateway.hub;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open streams against a fixed maximum. A stream holds one permit from admission until it
 * is closed, so the count can never exceed the maximum, however many clients connect at once.
 */
public final class CapacityGate {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    public CapacityGate(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
    }

    /** Takes a permit if one is free. */
    public boolean tryAcquire() {
        // CAS loop: the thread whose compareAndSet succeeds owns the permit.
        for (;;) {
            int n = open.get();
            if (n >= max) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Returns a permit; called exactly once per successful {@link #tryAcquire()}. */
    public void release() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }

    public int max() {
        return max;
    }
}
