package io.ssegateway.server;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not delivered a complete request head within a deadline.
 *
 * <p>Jetty's idle timeout restarts with every byte, so a client that sends its request line one
 * byte a second (slowloris), or connects and sends nothing useful, could hold a connection slot
 * for as long as it likes; enough of them fill the connection limit and lock everyone else out.
 * Each new connection gets one timer task; when it fires, a connection on which no request has
 * started being handled is closed. Later requests on a kept-alive connection are bounded by the
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
        scheduler.schedule(() -> {
            // getMessagesIn counts requests whose head was parsed and handed to the application.
            if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                connection.getEndPoint().close();
            }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {
        // The task finds the endpoint closed and does nothing; cancelling would cost a lookup per close.
    }
}
