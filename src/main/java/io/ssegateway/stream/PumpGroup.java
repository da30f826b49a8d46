package io.ssegateway.stream;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * The woken write pumps of the streams that share one HTTP/2 connection, run one after another on
 * one pump thread inside a {@link WriteBatch}, so that what they write to the connection leaves in
 * a few socket writes. A pump is queued here at most once at a time (only the producer that finds
 * it idle wakes it), so the queue is bounded by the connection's streams.
 *
 * <p>A run takes the pumps woken when it starts; pumps woken meanwhile make the group run again,
 * behind the other work of the pump executor, so one busy connection cannot hold a pump thread.
 */
final class PumpGroup implements Runnable {
    /**
     * Pumps run per write batch. Jetty's flusher sizes its accumulator by walking its chunks at every
     * frame it adds, so a batch costs the square of its frames: at 1,000 frames that cost more than
     * the system calls it saved. At 32, two system calls carry 32 streams' writes (measured at
     * 100,000 streams: 16 and 32 best, 128 and more worse; docs/performance.md).
     */
    static final int PUMPS_PER_BATCH = 32;
    private final Executor executor;
    // guarded by this
    private final ArrayDeque<WritePump> woken = new ArrayDeque<>();
    private boolean scheduled;

    /** A group whose runs go to {@code executor}. */
    PumpGroup(Executor executor) {
        this.executor = executor;
    }

    /** Queues {@code pump} for the group's next run, and schedules that run if none is. */
    void wake(WritePump pump) {
        boolean schedule;
        synchronized (this) {
            woken.addLast(pump);
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            executor.execute(this);
        }
    }

    @Override
    public void run() {
        int count;
        synchronized (this) {
            count = woken.size();
        }
        for (int done = 0; done < count; ) {
            try (WriteBatch batch = WriteBatch.open()) {
                for (int end = Math.min(count, done + PUMPS_PER_BATCH); done < end; done++) {
                    WritePump pump;
                    synchronized (this) {
                        pump = woken.pollFirst();
                    }
                    pump.run();
                }
            }
        }
        boolean again;
        synchronized (this) {
            again = !woken.isEmpty();
            scheduled = again;
        }
        if (again) {
            executor.execute(this);
        }
    }
}
