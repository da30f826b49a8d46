package io.ssegateway.server;

import io.ssegateway.stream.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The embedded server's connector: its connections' socket writes made on a pump thread inside a
 * {@link WriteBatch} wait for the end of that batch. Over HTTP/2 that is what turns a broadcast to
 * a connection's 1,000 streams into a couple of writes: while the first write is held, Jetty's frame
 * flusher for the connection counts as busy and queues the other streams' DATA frames, then writes
 * them together. Writes made anywhere else (Jetty's own threads, a close) go out at once.
 */
final class BatchingConnector extends ServerConnector {
    BatchingConnector(Server server, ConnectionFactory... factories) {
        super(server, factories);
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        SocketChannelEndPoint endPoint = new BatchedEndPoint(channel, selector, key, this);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    private static final class BatchedEndPoint extends SocketChannelEndPoint {
        BatchedEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, ServerConnector connector) {
            super(channel, selector, key, connector.getScheduler());
        }

        @Override
        public void write(Callback callback, ByteBuffer... buffers) {
            if (!WriteBatch.hold(() -> super.write(callback, buffers))) {
                super.write(callback, buffers);
            }
        }
    }
}
