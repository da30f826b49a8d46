package io.ssegateway.stream;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a stream's response among the node's unfinished ones from its start until the container
 * reports it complete, which is after the response's end (HTTP/1.1's last chunk, HTTP/2's end of
 * stream) was written. A stream leaves the node's roster when it decides to close, before that
 * end is written; a drain that stopped the connector then would cut responses whose
 * {@code server-shutdown} the client has read, and the client could not tell the drain from a crash.
 */
final class ResponseCompletion implements AsyncListener {
    private final LongAdder unfinished;

    private ResponseCompletion(LongAdder unfinished) {
        this.unfinished = unfinished;
    }

    /** Counts {@code async}'s response in {@code unfinished} until the container completes it. */
    static void track(AsyncContext async, LongAdder unfinished) {
        unfinished.increment();
        async.addListener(new ResponseCompletion(unfinished));
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // The container calls this once per asynchronous cycle, after onError or onTimeout if any.
        unfinished.decrement();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // The stream's own listener closes it; completion follows.
    }

    @Override
    public void onError(AsyncEvent event) {
        // As above.
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Streams are not re-dispatched.
    }
}
