package io.ssegateway.server;

import io.ssegateway.http.FirstTimeLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Finds a stream's vanished HTTP/1.1 client at once in the embedded server, by asking the selector to tell
 * when its HTTP/1.1 connection becomes readable.
 *
 * <p>Why here and this way: Jetty stops reading a connection while a request is being handled, so
 * a client's FIN or RST goes unseen until a write fails (with the default 25 s heartbeat, about two
 * heartbeats), and in a reconnect storm the dead streams keep their permits while the clients'
 * new connections are refused. Registering fill interest costs no thread and no buffer while
 * nothing arrives. When the connection becomes readable:
 * <ul>
 *   <li>end of stream or a read error: the client is gone, and {@code onGone} runs;</li>
 *   <li>bytes: the client pipelined another request behind the stream. RFC 9112 §9.3.2 lets a
 *       server work ahead only on safe methods, and a stream's response never ends by itself, so
 *       the request could neither run now (a POST would publish while its response waited behind
 *       the stream's) nor ever be answered. The bytes are dropped unparsed, the connection is
 *       closed and the stream with it (the first time, a warning says why): nothing in them runs.</li>
 * </ul>
 * (A request that arrived in the same packet as the stream's sits in Jetty's own buffer, which
 * Jetty parses only after the stream's response ends: it is held, as the RFC allows.)
 * Before the stream's response completes, {@link #stop} withdraws the fill interest: Jetty refuses
 * to complete a response while a read is pending, and would drop the connection.
 */
final class ConnectionWatch implements Callback {
    private static final System.Logger LOG = System.getLogger(ConnectionWatch.class.getName());
    /** Says once per process that a client pipelines behind streams. */
    private static final FirstTimeLog PIPELINED = new FirstTimeLog(LOG);

    private final EndPoint endPoint;
    private final Runnable onGone;
    /** Set once the stream no longer wants to know (it ended, or the client pipelined). */
    private volatile boolean stopped;

    /** A watch of {@code connection}, not armed yet; {@code onGone} runs at most once, on a selector thread. */
    ConnectionWatch(HttpConnection connection, Runnable onGone) {
        this.endPoint = connection.getEndPoint();
        this.onGone = onGone;
    }

    /** Starts watching. */
    void arm() {
        if (!stopped && !endPoint.tryFillInterested(this)) {
            // Someone else reads this connection (it is not ours to watch).
            stopped = true;
        }
    }

    /** Withdraws the watch, before the response completes; {@code onGone} will not run. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (endPoint instanceof AbstractEndPoint ep && ep.getFillInterest().isInterested()) {
            // Withdraws our callback (its failed() sees stopped and does nothing).
            ep.getFillInterest().onFail(new CancellationException("stream ended"));
        }
    }

    @Override
    public void succeeded() {
        if (stopped) {
            return;
        }
        ByteBuffer buffer = BufferUtil.allocate(1024);
        int filled;
        try {
            filled = endPoint.fill(buffer);
        } catch (IOException e) {
            filled = -1;
        }
        if (filled < 0) {
            LOG.log(System.Logger.Level.DEBUG, "client closed the connection of a stream: {0}", endPoint);
            gone();
        } else if (filled == 0) {
            arm();
        } else {
            PIPELINED.warn("pipelined", () -> "a client sent another request on a stream's connection (HTTP/1.1 "
                + "pipelining, " + endPoint.getRemoteSocketAddress() + "); it was not run and the connection was closed: "
                + "a stream's response never ends, so nothing behind it can be answered. Clients must open streams on "
                + "connections of their own");
            endPoint.close();
            gone();
        }
    }

    @Override
    public void failed(Throwable x) {
        LOG.log(System.Logger.Level.DEBUG, () -> "watch of " + endPoint + " failed", x);
        gone();
    }

    private void gone() {
        if (!stopped) {
            stopped = true;
            onGone.run();
        }
    }

    @Override
    public InvocationType getInvocationType() {
        // A fill and, at most, a close of the stream: never waits, so the selector may call it.
        return InvocationType.NON_BLOCKING;
    }
}
