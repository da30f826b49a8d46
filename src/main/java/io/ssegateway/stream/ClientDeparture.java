package io.ssegateway.stream;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How a stream learns that its client left: the container's {@link AsyncListener} callbacks
 * (complete, timeout, error) and the embedded server's {@link DisconnectWatch}. Either closes the
 * stream with {@link CloseReason#CLIENT_GONE}; the close is idempotent, so both may.
 *
 * <p>Owns the watch's stop action, which must run before the response completes. A watch that
 * starts after {@link #stop} (a stream closed before it was watched) is stopped at once. Lock-free:
 * callers are container threads and whichever thread closes the stream.
 */
final class ClientDeparture implements AsyncListener {
    /** Atomic access to {@link #stopWatch}: a field updated in place, not an AtomicReference object per stream. */
    private static final VarHandle STOP_WATCH;

    static {
        try {
            STOP_WATCH = MethodHandles.lookup().findVarHandle(ClientDeparture.class, "stopWatch", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SseStream stream;
    /** The watch's stop action; null once stopped. */
    @SuppressWarnings("unused") // read and written through STOP_WATCH
    private volatile Runnable stopWatch = () -> { };

    ClientDeparture(SseStream stream) {
        this.stream = stream;
    }

    /** Starts {@code watch} on {@code request}'s connection; {@code whenGone} runs if the client leaves. */
    void watch(DisconnectWatch watch, HttpServletRequest request, Runnable whenGone) {
        Runnable stop = watch.watch(request, whenGone);
        for (;;) {
            Runnable current = (Runnable) STOP_WATCH.getVolatile(this);
            if (current == null) {
                stop.run(); // the stream closed before it was watched
                return;
            }
            if (STOP_WATCH.compareAndSet(this, current, stop)) {
                return;
            }
        }
    }

    /** Stops the disconnect watch, once; later watches stop as soon as they start. */
    void stop() {
        Runnable stop = (Runnable) STOP_WATCH.getAndSet(this, null);
        if (stop != null) {
            stop.run();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        stream.close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        stream.close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onError(AsyncEvent event) {
        stream.close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not re-dispatched: nothing to do.
    }
}
