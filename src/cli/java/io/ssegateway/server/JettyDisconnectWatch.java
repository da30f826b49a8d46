package io.ssegateway.server;

import io.ssegateway.http.FirstTimeLog;
import io.ssegateway.stream.DisconnectWatch;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Finds a stream's vanished client at once in the embedded server, by asking the selector to tell
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
 * Before the stream's response completes, {@link #watch}'s stop action withdraws the fill interest:
 * Jetty refuses to complete a response while a read is pending, and would drop the connection.
 *
 * <p>On HTTP/2 Jetty does learn of a reset or a dead connection at once, and fails the stream's
 * request; but the servlet layer passes that failure to the {@code AsyncListener} only if the
 * request is waiting at that moment (ee10's {@code ServletChannelState.asyncError}): one that
 * arrives while the container is running a callback for the stream (its write callback, say) is
 * only logged, and the stream learned it at its next write, the heartbeat up to 25 s later (one
 * stream in about 70,000 dropped, {@code docs/scripts/h2-drop-repeat.py}). So here the stream also
 * listens on the core request's failure, which Jetty reports whatever the servlet state.
 */
final class JettyDisconnectWatch implements DisconnectWatch {
    private static final System.Logger LOG = System.getLogger(JettyDisconnectWatch.class.getName());
    /** Says once per process that a client pipelines behind streams. */
    private static final FirstTimeLog PIPELINED = new FirstTimeLog(LOG);

    @Override
    public Runnable watch(HttpServletRequest request, Runnable onGone) {
        ServletContextRequest core = ServletContextRequest.getServletContextRequest(request);
        if (core == null) {
            return JettyDisconnectWatch::nothing;
        }
        if (!(core.getConnectionMetaData().getConnection() instanceof HttpConnection http)) {
            // Jetty calls a request's failure listeners once, and after the stream ended a late
            // call would find it closed already (close is idempotent): nothing to disarm.
            core.addFailureListener(failure -> {
                LOG.log(System.Logger.Level.DEBUG, () -> "the request of a stream failed: " + failure);
                onGone.run();
            });
            return JettyDisconnectWatch::nothing;
        }
        Watcher watcher = new Watcher(http, onGone);
        watcher.arm();
        return watcher::stop;
    }

    private static void nothing() {
        // Nothing to withdraw: nothing was watched, or a failure listener that needs no disarming.
    }

    /** The fill-interest callback of one stream. */
    private static final class Watcher implements Callback {
        private final EndPoint endPoint;
        private final Runnable onGone;
        /** Set once the stream no longer wants to know (it ended, or the client pipelined). */
        private volatile boolean stopped;

        Watcher(HttpConnection connection, Runnable onGone) {
            this.endPoint = connection.getEndPoint();
            this.onGone = onGone;
        }

        void arm() {
            if (!stopped && !endPoint.tryFillInterested(this)) {
                // Someone else reads this connection (it is not ours to watch).
                stopped = true;
            }
        }

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
}
