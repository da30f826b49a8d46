package io.ssegateway.server;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.NegotiatingServerConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not delivered a complete request head within a deadline.
 *
 * <p>Jetty's idle timeout restarts with every byte, so a client that sends its request line one
 * byte a second (slowloris), or connects and sends nothing useful, could hold a connection slot
 * for as long as it likes; enough of them fill the connection limit and lock everyone else out.
 * Each new connection gets one timer task; when it fires, a connection on which no request has
 * started being handled is closed (over TLS, the handshake counts against the same deadline). Later requests on a kept-alive connection are bounded by the
 * idle timeout instead.
 */
final class RequestHeadDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final long deadlineMillis;

    RequestHeadDeadline(Scheduler scheduler, long deadlineMillis) {
        this.scheduler = scheduler;
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof NegotiatingServerConnection) {
            return; // ALPN: replaced by the negotiated connection, which the TLS connection's task checks
        }
        scheduler.schedule(() -> {
            if (noRequestYet(connection) && connection.getEndPoint().isOpen()) {
                connection.getEndPoint().close();
            }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * True if no request head has arrived on {@code connection}: {@code getMessagesIn} counts the
     * requests (HTTP/1.1) or streams (HTTP/2) handed to the application. A TLS connection is judged
     * by the connection inside it, and one still in its handshake or ALPN has had no request.
     */
    private static boolean noRequestYet(Connection connection) {
        if (connection instanceof SslConnection tls) {
            Connection inner = tls.getSslEndPoint().getConnection();
            return inner == null || inner instanceof NegotiatingServerConnection || inner.getMessagesIn() == 0;
        }
        return connection.getMessagesIn() == 0;
    }

    @Override
    public void onClosed(Connection connection) {
        // The task finds the endpoint closed and does nothing; cancelling would cost a lookup per close.
    }
}
