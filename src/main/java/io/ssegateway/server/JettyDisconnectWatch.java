package io.ssegateway.server;

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
 *   <li>bytes: the client pipelined its next request. They are handed to the connection's own
 *       request buffer ({@link HttpConnection#onUpgradeTo}), so the request is parsed once the
 *       stream ends, and the watch stops (heartbeats still find a vanished client).</li>
 * </ul>
 * Before the stream's response completes, {@link #watch}'s stop action withdraws the fill interest:
 * Jetty refuses to complete a response while a read is pending, and would drop the connection.
 * HTTP/2 and other connections are not watched here.
 */
final class JettyDisconnectWatch implements DisconnectWatch {
    private static final System.Logger LOG = System.getLogger(JettyDisconnectWatch.class.getName());

    @Override
    public Runnable watch(HttpServletRequest request, Runnable onGone) {
        ServletContextRequest core = ServletContextRequest.getServletContextRequest(request);
        if (core == null || !(core.getConnectionMetaData().getConnection() instanceof HttpConnection http)) {
            return JettyDisconnectWatch::nothing;
        }
        Watcher watcher = new Watcher(http, onGone);
        watcher.arm();
        return watcher::stop;
    }

    private static void nothing() {
        // Nothing was watched, so there is nothing to stop.
    }

    /** The fill-interest callback of one stream. */
    private static final class Watcher implements Callback {
        private final HttpConnection connection;
        private final EndPoint endPoint;
        private final Runnable onGone;
        /** Set once the stream no longer wants to know (it ended, or the client pipelined). */
        private volatile boolean stopped;

        Watcher(HttpConnection connection, Runnable onGone) {
            this.connection = connection;
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
                stopped = true;
                connection.onUpgradeTo(buffer);
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
