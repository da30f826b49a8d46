package io.ssegateway.load;

/** Paces the opening of a run's streams at a number per second; on the opening thread only. */
final class Ramp {
    private final long intervalNanos;
    private long next = System.nanoTime();

    Ramp(int perSecond) {
        this.intervalNanos = 1_000_000_000L / Math.max(1, perSecond);
    }

    /** Waits until the next stream's turn. */
    void pace() throws InterruptedException {
        next += intervalNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
