package io.ssegateway.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's HTTP/1.1 connections: a connection's first read is made as the server declares, every later
 * one on the pool's threads.
 *
 * <p>Why: {@link InPlaceStreamOpening} declares the server's requests non-blocking. Jetty's HTTP/1.1
 * connection takes the invocation type of its read callback from the server's, so the selector makes
 * such a read itself and runs its request where it reads it.
 * <ul>
 *   <li>For a connection's first read that is wanted: it is where a cleartext HTTP/2 client's
 *       preface and its first streams arrive (a proxy's or h2load's 1,000 at once), and where an
 *       EventSource's request does. Read on the pool instead, a storm's first reads and then its
 *       streams' first writes queued there, their request objects were promoted while they waited,
 *       and the gain of opening in place was gone (1,000,000 h2load streams: 3,470-3,500 B of RSS per
 *       stream, as before, against 2,000 B).</li>
 *   <li>For the later reads of a connection (a publisher's next request on a kept-alive connection)
 *       it is not: one selector thread then parsed and ran what the pool's threads did, and a burst
 *       of 200 publishes to 10,000 streams was delivered at 0.8x the rate (510,000-615,000
 *       deliveries a second against 588,000-847,000; bench S2).</li>
 * </ul>
 * (docs/performance.md, "Opening streams where they are read".)
 */
final class Http1ReadsOnPool extends HttpConnectionFactory {
    Http1ReadsOnPool(HttpConfiguration http) {
        super(http);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new PoolReadConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** Jetty's connection, whose read callback (the only one it passes to fill interest) is blocking after the first read. */
    private static final class PoolReadConnection extends HttpConnection {
        /** Read and written by the connection's reads, which Jetty makes one at a time. */
        private boolean firstRead = true;

        PoolReadConnection(HttpConfiguration http, Connector connector, EndPoint endPoint) {
            super(http, connector, endPoint);
        }

        @Override
        public void fillInterested(Callback callback) {
            if (firstRead) {
                firstRead = false;
                super.fillInterested(callback);
            } else {
                super.fillInterested(new BlockingRead(callback));
            }
        }
    }

    private record BlockingRead(Callback read) implements Callback {
        @Override
        public void succeeded() {
            read.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            read.failed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.BLOCKING;
        }
    }
}
