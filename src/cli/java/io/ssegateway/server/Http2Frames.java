package io.ssegateway.server;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Channel;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.HTTP2Stream;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A held HTTP/2 stream's frames once its response has left Jetty's HTTP layer: the stream's
 * events go out as DATA frames written on Jetty's {@link HTTP2Stream}, and what the HTTP/2 session
 * reports of the stream (a reset, a dead connection, an idle timeout) comes here, as Jetty's
 * channel of the stream.
 *
 * <p>Why: Jetty's HTTP layer keeps a request, a response and their state for every stream until
 * its response ends (about 1,100 B of heap), takes its locks on every write and builds three
 * exceptions with stack traces when a client leaves. A held stream needs none of that once its
 * status and headers are out. With nothing of ours, a bare Jetty that holds 1,000,000 streams on
 * its HTTP/2 API needs 880 B of heap per stream against 1,940 B through its core {@code Handler},
 * and releases 100,000 dropped streams in 0.24 s against 1.69 s (docs/performance.md, "Below
 * Jetty's HTTP layer").
 *
 * <p>How: {@link #takeOver} finds the request's stream in its HTTP/2 session and puts this object
 * in the place of Jetty's own channel ({@link HTTP2Stream#setAttachment}), where the session's
 * connection looks for it. The HTTP layer's objects are then held by nothing and never completed;
 * the stream ends with a DATA frame that ends it, or with a reset. The request head Jetty's stream
 * keeps for its life goes too ({@link RequestHeadRelease}).
 */
final class Http2Frames implements HTTP2Channel.Server {
    private final HTTP2Stream stream;
    private final Consumer<Throwable> onGone;

    private Http2Frames(HTTP2Stream stream, Consumer<Throwable> onGone) {
        this.stream = stream;
        this.onGone = onGone;
    }

    /**
     * Takes the stream of an HTTP/2 {@code request} whose response is committed and has no write in
     * flight out of Jetty's HTTP layer; {@code onGone} hears of the stream's end from then on, on
     * the thread that ends it (a selector's, for a dead connection), so it must not block. Null,
     * and the HTTP layer keeps the stream, if the request is not one Jetty serves over HTTP/2 as this
     * class expects, if its stream has ended already, or if the server has an access log: Jetty
     * writes a request's line when the HTTP layer completes it, so a stream taken over would have none.
     */
    static Http2Frames takeOver(Request request, Consumer<Throwable> onGone) {
        if (!(request.getConnectionMetaData().getConnection() instanceof HTTP2Connection connection)
            || request.getConnectionMetaData().getConnector().getServer().getRequestLog() != null) {
            return null;
        }
        int id;
        try {
            id = Integer.parseInt(request.getId()); // Jetty's HTTP/2 request id is its stream's id
        } catch (NumberFormatException notAStreamId) {
            return null;
        }
        HTTP2Stream stream = connection.getSession().getStream(id);
        if (stream == null || ended(stream) || !(stream.getAttachment() instanceof HTTP2Channel.Server)) {
            return null;
        }
        Http2Frames frames = new Http2Frames(stream, onGone);
        stream.setAttachment(frames);
        RequestHeadRelease.release(stream);
        return frames;
    }

    /** Writes {@code content} as one DATA frame, the stream's last if {@code last}. One at a time. */
    void write(ByteBuffer content, boolean last, Callback written) {
        stream.data(new DataFrame(stream.getId(), content, last), written);
    }

    /**
     * Resets a stream that failed or whose end could not be written, so that it leaves its
     * session; one Jetty ended already is left as it is.
     */
    void reset() {
        if (!ended(stream)) {
            stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
        }
    }

    /** Closed, reset, or failed by its session: nothing more goes out on it. */
    private static boolean ended(HTTP2Stream stream) {
        return stream.isClosed() || stream.isResetOrFailed();
    }

    // ---- Jetty's channel of the stream ----

    @Override
    public Runnable onFailure(Throwable failure, Callback callback) {
        // Non-blocking, so Jetty runs it on the thread that fails the stream instead of handing it to
        // another: onGone only hands the stream's close to the pumps, and the callback takes the
        // stream out of its session. A dead connection fails its thousand streams in one go.
        return Invocable.from(Invocable.InvocationType.NON_BLOCKING, () -> {
            onGone.accept(failure);
            callback.succeeded();
        });
    }

    @Override
    public void onTimeout(TimeoutException timeout, BiConsumer<Runnable, Boolean> handle) {
        // No frame could be written for the idle timeout: the client stopped reading. The stream
        // is gone (as the HTTP layer fails a request then), and Jetty resets it.
        handle.accept(() -> onGone.accept(timeout), true);
    }

    @Override
    public boolean isIdle() {
        return false; // a held stream keeps its connection from the session's idle timeout
    }

    @Override
    public Runnable onDataAvailable() {
        return null; // an event stream's request has no body
    }

    @Override
    public Runnable onTrailer(HeadersFrame frame) {
        return null;
    }
}
