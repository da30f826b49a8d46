package io.ssegateway.stream;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a stream's response among the node's unfinished ones from its start until the container
 * reports it complete (after the response's end, HTTP/1.1's last chunk or HTTP/2's end of stream,
 * was written) or failed (nothing more can be written). A stream leaves the node's roster when it
 * decides to close, before that end is written; a drain that stopped the connector then would
 * cut responses whose {@code server-shutdown} the client has read, and the client could not tell
 * the drain from a crash.
 */
final class ResponseCompletion implements AsyncListener {
    /** Atomic access to {@link #finished}: a field, not an AtomicBoolean object per stream. */
    private static final AtomicIntegerFieldUpdater<ResponseCompletion> FINISHED =
        AtomicIntegerFieldUpdater.newUpdater(ResponseCompletion.class, "finished");

    private final LongAdder unfinished;
    /** 1 once the response was counted off: the container may report an error and then completion. */
    @SuppressWarnings("unused") // read and written through FINISHED
    private volatile int finished;

    private ResponseCompletion(LongAdder unfinished) {
        this.unfinished = unfinished;
    }

    /** Counts {@code async}'s response in {@code unfinished} until the container completes or fails it. */
    static void track(AsyncContext async, LongAdder unfinished) {
        unfinished.increment();
        async.addListener(new ResponseCompletion(unfinished));
    }

    private void finish() {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            unfinished.decrement();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Streams are not re-dispatched.
    }
}
