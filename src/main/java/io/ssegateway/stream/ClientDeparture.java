package io.ssegateway.stream;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How a stream learns that its client left: the container's {@link AsyncListener} callbacks
 * (complete, timeout, error) and the embedded server's {@link DisconnectWatch}. Either runs
 * {@code onGone}; the stream's close is idempotent, so both may.
 *
 * <p>Owns the watch's stop action, which must run before the response completes. A watch that
 * starts after {@link #stop} (a stream closed before it was watched) is stopped at once. Lock-free:
 * callers are container threads and whichever thread closes the stream.
 */
final class ClientDeparture implements AsyncListener {
    private final Runnable onGone;
    /** The watch's stop action; null once stopped. */
    private final AtomicReference<Runnable> stopWatch = new AtomicReference<>(() -> { });

    /** @param onGone closes the stream; runs on a container thread */
    ClientDeparture(Runnable onGone) {
        this.onGone = onGone;
    }

    /** Starts {@code watch} on {@code request}'s connection; {@code whenGone} runs if the client leaves. */
    void watch(DisconnectWatch watch, HttpServletRequest request, Runnable whenGone) {
        Runnable stop = watch.watch(request, whenGone);
        Runnable before = stopWatch.getAndUpdate(current -> current == null ? null : stop);
        if (before == null) {
            stop.run();
        }
    }

    /** Stops the disconnect watch, once; later watches stop as soon as they start. */
    void stop() {
        Runnable stop = stopWatch.getAndSet(null);
        if (stop != null) {
            stop.run();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        onGone.run();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        onGone.run();
    }

    @Override
    public void onError(AsyncEvent event) {
        onGone.run();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not re-dispatched: nothing to do.
    }
}
