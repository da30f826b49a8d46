package io.ssegateway.client;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One subscription's hand-off to its listener: callbacks queue here and run one at a time, in
 * order, on the shared callback executor (at most one drain task per subscription is queued there,
 * so no subscription holds a thread while it has nothing to deliver). {@link #isFull()} turns true
 * when the queue holds {@code bound} callbacks, and {@code onRoom} runs when a full queue has
 * drained to half: the stream stops and resumes reading from the connection on those two signals.
 */
final class SerialDelivery {
    private static final System.Logger LOG = System.getLogger(SerialDelivery.class.getName());
    /** Callbacks run per drain task before the task yields the thread to other subscriptions. */
    private static final int BATCH = 64;

    private final Executor executor;
    private final int bound;
    private final Runnable onRoom;
    private final ConcurrentLinkedQueue<Runnable> callbacks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean full = new AtomicBoolean();
    /** Set by the final callback: nothing after it is queued. */
    private volatile boolean ended;

    SerialDelivery(Executor executor, int bound, Runnable onRoom) {
        this.executor = executor;
        this.bound = bound;
        this.onRoom = onRoom;
    }

    /** Queues a callback; {@link #isFull()} then says whether to stop reading until {@code onRoom}. */
    void offer(Runnable callback) {
        if (ended) {
            return;
        }
        callbacks.add(callback);
        // Before the drain is scheduled, so that the drain that takes this callback sees the flag.
        if (size.incrementAndGet() >= bound) {
            full.set(true);
        }
        schedule();
    }

    /** True from an offer that filled the queue until it drained to half. */
    boolean isFull() {
        return full.get();
    }

    /** Drops what is queued, then queues the last callback; later offers are ignored. */
    void finish(Runnable last) {
        ended = true;
        while (callbacks.poll() != null) {
            size.decrementAndGet();
        }
        callbacks.add(last);
        size.incrementAndGet();
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable callback = callbacks.poll();
            if (callback == null) {
                break;
            }
            int left = size.decrementAndGet();
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an event listener threw; the stream goes on", e);
            }
            if (left <= bound / 2) {
                signalRoom();
            }
        }
        scheduled.set(false);
        // Again once this run has ended: an offer may have set the flag after its callback was
        // taken (and then found this run still scheduled), and no later callback would clear it.
        if (size.get() <= bound / 2) {
            signalRoom();
        }
        if (!callbacks.isEmpty()) {
            schedule();
        }
    }

    private void signalRoom() {
        if (full.compareAndSet(true, false)) {
            onRoom.run();
        }
    }
}
