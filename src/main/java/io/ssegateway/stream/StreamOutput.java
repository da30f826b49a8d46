package io.ssegateway.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The response a stream writes to, held open for the stream's life: what {@link SseStream} and its
 * {@link WritePump} need of the container. Two implementations: the portable one over a servlet
 * {@code AsyncContext} ({@link StreamOutputs#PORTABLE}, what a WAR uses), and the embedded server's,
 * which holds the stream on Jetty's core API once admission in the servlet is done, so that a held
 * stream keeps none of the servlet layer's objects.
 *
 * <p>Writes follow the servlet contract: {@link #write} only after {@link #isReady} returned true;
 * when it returned false, the output calls {@link Pump#onWritePossible} once the write in flight is
 * done. {@link #isReady} is called under the stream's lock and never calls back.
 */
public interface StreamOutput {
    /** What the output calls back: the stream's write pump. */
    interface Pump {
        /** The output can take a write: the first time after {@link #start}, then after {@link #isReady} said false. */
        void onWritePossible();

        /** A write failed; the client is gone. */
        void onError(Throwable failure);
    }

    /** Sets a response header; only before the first write. */
    void setHeader(String name, String value);

    /** True once the response's head went out. */
    boolean isCommitted();

    /** Hands the output to {@code pump}, which the output then calls when it can take the first write. */
    void start(Pump pump);

    /** True if a write may start now; false means {@link Pump#onWritePossible} follows. */
    boolean isReady();

    /**
     * Starts writing {@code chunk} (a heap buffer the output may keep until the write is done).
     *
     * @return true if {@link #flush} must follow, after {@link #isReady}, before the next write
     */
    boolean write(ByteBuffer chunk) throws IOException;

    /** Flushes what {@link #write} left buffered. */
    void flush() throws IOException;

    /**
     * Ends the response, once, after the write in flight if any, with {@code last} as its final
     * bytes (null for none): a draining stream's last frames, which then go out with the end (over
     * HTTP/2 one DATA frame with END_STREAM instead of two), or the whole answer of a stream closed
     * before it opened (a {@code retry:}, never an empty body). Only after {@link #isReady} said true
     * if anything was written before. Later calls do nothing.
     */
    void complete(ByteBuffer last);

    /** Runs {@code task} on a container thread, where it may call the broker and {@link #start} the output. */
    void execute(Runnable task);

    /**
     * Runs {@code gone} at most once when the client leaves: the container failed or timed out the
     * response, or (embedded server) the connection closed while nothing was written. It may run on
     * any container thread, a selector's included, so it must only hand the close off.
     */
    void whenGone(Runnable gone);

    /**
     * Runs {@code finished} once when the container has written the response's end or failed it:
     * until then a drain must not stop the connector, or the client that read {@code server-shutdown}
     * could not tell the drain from a crash.
     */
    void whenFinished(Runnable finished);
}
