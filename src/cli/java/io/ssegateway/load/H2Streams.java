package io.ssegateway.load;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Opens the load's streams over HTTP/2, a given number on each connection, with Jetty's HTTP/2
 * client (h2 with ALPN for https URLs, h2c with prior knowledge for http). Each stream's bytes go
 * through the same {@link SseConnection} parser and the same per-loop counters as HTTP/1.1 streams;
 * Jetty calls back on its own threads, so each loop's counters are updated under the loop's lock.
 */
final class H2Streams implements AutoCloseable {
    private final HTTP2Client client;
    private final boolean tls;

    H2Streams(boolean tls, int selectors) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(Math.max(1, selectors));
        if (tls) {
            // A load tool measures the server; it does not judge its certificate.
            connector.setSslContextFactory(new SslContextFactory.Client(true));
        }
        this.client = new HTTP2Client(connector);
        this.tls = tls;
        client.start();
    }

    /** Opens {@code options.streams()} streams, {@code perConnection} per connection, at the options' ramp. */
    void open(LoadOptions options, List<SelectorLoop> loops, InetSocketAddress server, int perConnection) throws Exception {
        long intervalNanos = 1_000_000_000L / Math.max(1, options.rampPerSecond());
        long next = System.nanoTime();
        Session session = null;
        for (int i = 0; i < options.streams(); i++) {
            if (i % perConnection == 0) {
                session = (tls ? client.connect(client.getClientConnector().getSslContextFactory(), server, new Session.Listener() { })
                    : client.connect(server, new Session.Listener() { })).get(30, TimeUnit.SECONDS);
            }
            SseConnection connection = new SseConnection(i, null);
            connection.phase = SseConnection.Phase.BODY;
            SelectorLoop loop = loops.get(i % loops.size());
            loop.add(connection);
            URI uri = options.uriFor(i);
            HttpFields.Mutable headers = HttpFields.build().put(HttpHeader.ACCEPT, "text/event-stream");
            MetaData.Request request = new MetaData.Request("GET", HttpURI.from(uri.toString()), HttpVersion.HTTP_2, headers);
            // The outcome arrives in the listener; the future of the stream itself is not needed.
            var unused = session.newStream(new HeadersFrame(request, null, true), new Listener(connection, loop));
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    /** One stream's callbacks: status, then data into the connection's parser. */
    private static final class Listener implements Stream.Listener {
        private final SseConnection connection;
        private final SelectorLoop loop;

        Listener(SseConnection connection, SelectorLoop loop) {
            this.connection = connection;
            this.loop = loop;
        }

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response response) {
                connection.headersFrame(response.getStatus());
                if (response.getStatus() == 200 && !frame.isEndStream()) {
                    loop.established.incrementAndGet();
                } else {
                    loop.failed.incrementAndGet();
                    connection.phase = SseConnection.Phase.CLOSED;
                }
            }
            stream.demand();
        }

        @Override
        public void onDataAvailable(Stream stream) {
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            ByteBuffer buffer = data.frame().getByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            boolean last = data.frame().isEndStream();
            data.release();
            synchronized (loop) {
                connection.feed(bytes, 0, bytes.length, loop);
            }
            if (last) {
                ended();
            } else {
                stream.demand();
            }
        }

        @Override
        public void onReset(Stream stream, ResetFrame frame, Callback callback) {
            ended();
            callback.succeeded();
        }

        private void ended() {
            if (connection.phase != SseConnection.Phase.CLOSED) {
                if (connection.status() == 200) {
                    loop.established.decrementAndGet();
                }
                loop.failed.incrementAndGet();
                connection.phase = SseConnection.Phase.CLOSED;
            }
        }
    }
}
