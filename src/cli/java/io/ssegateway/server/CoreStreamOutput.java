package io.ssegateway.server;

import io.ssegateway.stream.AbstractStreamOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * A stream's output on Jetty's core API, after the servlet handed the request over
 * ({@link ServletPhase#detach}): writes go to the core {@link Response} with this object as their
 * callback, and the request ends when this output succeeds or fails the core {@link Callback}.
 *
 * <p>Its state is one int of flags, changed by compare-and-set only:
 * <ul>
 *   <li>{@code WRITING}: a write is in flight (Jetty allows one at a time); {@code WANTED}: the pump
 *       asked {@link #isReady} meanwhile and is owed {@link Pump#onWritePossible} when it is done;</li>
 *   <li>{@code STARTED}: the pump was handed the output; {@code PHASE_ENDED}: the servlet layer has
 *       let go of the request. The first {@code onWritePossible} comes when both hold, so nothing is
 *       written while the servlet layer still runs, and whichever of the two comes second sends it;</li>
 *   <li>{@code COMPLETE_ASKED}: {@link #complete} was called; no write starts after it, and the end is
 *       written once no write is in flight and the servlet phase ended ({@code DONE}).</li>
 * </ul>
 * The pump's callbacks run on Jetty's executor, never inside the write that completes them.
 *
 * <p>Over HTTP/2, once the first write (the status, the headers and the first chunk) is done, the
 * stream leaves Jetty's HTTP layer for its {@link Http2Frames}: later writes and the end are DATA
 * frames, and the HTTP layer's request, response and callback are let go, never completed.
 */
final class CoreStreamOutput extends AbstractStreamOutput implements Callback, Consumer<Throwable> {
    private static final int WRITING = 1;
    private static final int WANTED = 2;
    private static final int STARTED = 4;
    private static final int PHASE_ENDED = 8;
    private static final int COMPLETE_ASKED = 16;
    private static final int DONE = 32;

    private static final AtomicIntegerFieldUpdater<CoreStreamOutput> STATE =
        AtomicIntegerFieldUpdater.newUpdater(CoreStreamOutput.class, "state");

    private final Executor executor;
    /** HTTP/2, until the first write is done: the request whose stream {@link #frames} takes over. */
    private Request request;
    /** Jetty's HTTP layer for the writes and the end; null once {@link #frames} took over. */
    private Response response;
    private Callback callback;
    /** HTTP/2, after the first write: the stream's frames, if the hand-over succeeded. */
    private volatile Http2Frames frames;
    /** HTTP/1.1 only: reads the connection for the client's close while nothing is written. */
    private final ConnectionWatch watch;
    /** HTTP/2: shared chunks go to Jetty as views it copies into its write buffer ({@link InlinedChunks}). */
    private final boolean http2;
    /** Set once by {@link #start}, read after STARTED is seen. */
    private volatile Pump pump;
    private volatile int state;
    /** Why a write, the request or the servlet phase failed; the request then ends failed. */
    private volatile Throwable failure;
    /** What {@link #complete} writes with the end; null for nothing. */
    private volatile ByteBuffer lastChunk;

    CoreStreamOutput(Request request, Response response, Callback callback) {
        this.executor = request.getComponents().getExecutor();
        this.response = response;
        this.callback = callback;
        // Jetty reports a reset HTTP/2 stream, a dead connection or an idle timeout as the request's
        // failure, whatever the stream is doing; an HTTP/1.1 connection it does not read meanwhile.
        request.addFailureListener(this);
        if (request.getConnectionMetaData().getConnection() instanceof HttpConnection http) {
            watch = new ConnectionWatch(http, this::fireGone);
            watch.arm();
        } else {
            watch = null;
        }
        http2 = request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_2;
        this.request = http2 ? request : null;
    }

    @Override
    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }

    @Override
    public void start(Pump pump) {
        this.pump = pump;
        if ((STATE.getAndUpdate(this, s -> s | STARTED) & PHASE_ENDED) != 0) {
            dispatchWritePossible();
        }
    }

    @Override
    public boolean isReady() {
        for (;;) {
            int s = state;
            if ((s & WRITING) == 0) {
                return true;
            }
            if (STATE.compareAndSet(this, s, s | WANTED)) {
                return false;
            }
        }
    }

    @Override
    public boolean write(ByteBuffer chunk) throws IOException {
        for (;;) {
            int s = state;
            if ((s & WRITING) != 0) {
                throw new IllegalStateException("a write is in flight already");
            }
            if ((s & COMPLETE_ASKED) != 0) {
                // The stream closed on another thread after the pump took this chunk: the end goes
                // out instead (a write now would race the end's).
                throw new IOException("the response is ending");
            }
            if (STATE.compareAndSet(this, s, s | WRITING)) {
                break;
            }
        }
        ByteBuffer content = http2 ? InlinedChunks.of(chunk) : chunk;
        Http2Frames f = frames;
        if (f != null) {
            f.write(content, false, this);
        } else {
            response.write(false, content, this);
        }
        return false; // a core write goes out as it is: nothing to flush
    }

    @Override
    public void flush() {
        // Nothing is buffered: see write.
    }

    @Override
    public void complete(ByteBuffer last) {
        if (watch != null) {
            watch.stop(); // Jetty would drop a connection whose response ends while a read is pending
        }
        lastChunk = last;
        int s = STATE.getAndUpdate(this, v -> v | COMPLETE_ASKED);
        if ((s & COMPLETE_ASKED) == 0) {
            finishIfDue(s | COMPLETE_ASKED);
        }
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    /** The servlet layer let go of the request; {@code phaseFailure} if it ended it failed. */
    void servletPhaseEnded(Throwable phaseFailure) {
        if (phaseFailure != null) {
            failure = phaseFailure;
            fireGone();
        }
        int s = STATE.getAndUpdate(this, v -> v | PHASE_ENDED);
        if ((s & STARTED) != 0) {
            dispatchWritePossible();
        }
        finishIfDue(s | PHASE_ENDED);
    }

    // ---- the write's callback ----

    @Override
    public void succeeded() {
        if (request != null) {
            leaveHttpLayer(); // read and written only here and in the constructor: one write at a time
        }
        int s = STATE.getAndUpdate(this, v -> v & ~(WRITING | WANTED));
        if ((s & WANTED) != 0) {
            dispatchWritePossible();
        }
        finishIfDue(s & ~(WRITING | WANTED));
    }

    @Override
    public void failed(Throwable writeFailure) {
        failure = writeFailure;
        int s = STATE.getAndUpdate(this, v -> v & ~(WRITING | WANTED));
        Pump p = pump;
        execute(() -> p.onError(writeFailure));
        finishIfDue(s & ~(WRITING | WANTED));
    }

    @Override
    public InvocationType getInvocationType() {
        // Flag changes and hand-offs to the executor only.
        return InvocationType.NON_BLOCKING;
    }

    // ---- the request's failure listener ----

    @Override
    public void accept(Throwable requestFailure) {
        // The request is failed for good: its end will fail the callback at once, without a write
        // that could only fail (a connection that dies drops a thousand streams at once).
        failure = requestFailure;
        fireGone();
    }

    /**
     * After the first HTTP/2 write: the status and headers are out and no write is in flight, so
     * the stream's frames can take over from Jetty's HTTP layer. A failure that the HTTP layer
     * heard first still reaches {@link #accept}, through the failure listener it keeps.
     */
    private void leaveHttpLayer() {
        Http2Frames taken = Http2Frames.takeOver(request, this);
        request = null;
        if (taken != null) {
            frames = taken;
            response = null;
            callback = null;
        }
    }

    private void dispatchWritePossible() {
        Pump p = pump;
        execute(p::onWritePossible);
    }

    /** Ends the request if {@code s} (a state just left) says it is due and nobody ended it yet. */
    private void finishIfDue(int s) {
        if ((s & COMPLETE_ASKED) == 0 || (s & PHASE_ENDED) == 0 || (s & WRITING) != 0) {
            return;
        }
        if ((STATE.getAndUpdate(this, v -> v | DONE) & DONE) != 0) {
            return;
        }
        Throwable failed = failure;
        Http2Frames f = frames;
        if (failed != null) {
            if (f != null) {
                f.reset();
            } else {
                callback.failed(failed);
            }
            fireFinished();
            return;
        }
        ByteBuffer last = lastChunk != null ? lastChunk : BufferUtil.EMPTY_BUFFER;
        if (f != null) {
            f.write(last, true, Callback.from(this::fireFinished, endFailure -> {
                f.reset();
                fireFinished();
            }));
        } else {
            response.write(true, last, Callback.from(this::ended, this::endFailed));
        }
    }

    private void ended() {
        callback.succeeded();
        fireFinished();
    }

    private void endFailed(Throwable endFailure) {
        callback.failed(endFailure);
        fireFinished();
    }
}
