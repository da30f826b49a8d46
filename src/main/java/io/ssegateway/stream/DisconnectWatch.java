package io.ssegateway.stream;

import jakarta.servlet.http.HttpServletRequest;

/**
 * How a container tells that a stream's client went away while nothing is being written.
 *
 * <p>A servlet container does not read from an HTTP/1.1 connection while its async response is
 * open, so a client that closed is otherwise noticed only at the next write (a heartbeat). The
 * embedded server supplies a watch that reads the connection (see the server package); in a WAR
 * the portable {@link #NONE} leaves detection to heartbeats and the container.
 */
@FunctionalInterface
public interface DisconnectWatch {
    /**
     * Starts watching the connection of {@code request}, whose request is complete. {@code onGone}
     * runs at most once, on a container thread, when the client closed or reset the connection.
     *
     * @return stops the watch; must be run before the response is completed, so the container can
     *         read the connection's next request
     */
    Runnable watch(HttpServletRequest request, Runnable onGone);

    /** Watches nothing: the client's departure is found by the next write. */
    DisconnectWatch NONE = (request, onGone) -> () -> { };
}
