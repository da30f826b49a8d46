package io.ssegateway.testing;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real HTTP/2 client (Jetty's, at the frame level) for tests that need what curl and browsers
 * do not expose: many streams on one connection, resetting one stream, not reading one stream
 * while reading the others, and seeing GOAWAY.
 */
public final class H2Client implements AutoCloseable {
    private final HTTP2Client client;
    private final int port;
    private final boolean tls;

    /**
     * @param streamWindow the client's receive window per stream (bytes a stream may have in flight
     *                     unread); the connection's window is made as large as HTTP/2 allows, so a
     *                     stream that is not read stalls itself only
     */
    public H2Client(int port, boolean tls, int streamWindow) throws Exception {
        ClientConnector connector = new ClientConnector();
        if (tls) {
            connector.setSslContextFactory(new SslContextFactory.Client(true));
        }
        this.client = new HTTP2Client(connector);
        client.setInitialStreamRecvWindow(streamWindow);
        client.setInitialSessionRecvWindow(Integer.MAX_VALUE);
        client.start();
        this.port = port;
        this.tls = tls;
    }

    public H2Client(int port, boolean tls) throws Exception {
        this(port, tls, 8 << 20);
    }

    /** One HTTP/2 connection. */
    public Connection connect() throws Exception {
        Connection c = new Connection();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        c.session = (tls ? client.connect(client.getClientConnector().getSslContextFactory(), address, c)
            : client.connect(address, c)).get(10, TimeUnit.SECONDS);
        return c;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    /** An HTTP/2 connection and what the server said to it as a whole. */
    public final class Connection implements Session.Listener, AutoCloseable {
        private Session session;
        public final CountDownLatch goAway = new CountDownLatch(1);

        @Override
        public void onGoAway(Session s, GoAwayFrame frame) {
            goAway.countDown();
        }

        /** Opens a GET stream; {@code read} false leaves its data unread (its window fills). */
        public H2Stream get(String pathAndQuery, Map<String, String> headers, boolean read) throws Exception {
            HttpFields.Mutable fields = HttpFields.build();
            headers.forEach(fields::put);
            HttpURI uri = HttpURI.from((tls ? "https" : "http") + "://127.0.0.1:" + port + pathAndQuery);
            MetaData.Request request = new MetaData.Request("GET", uri, HttpVersion.HTTP_2, fields);
            H2Stream s = new H2Stream(read);
            s.stream = session.newStream(new HeadersFrame(request, null, true), s).get(10, TimeUnit.SECONDS);
            return s;
        }

        public H2Stream get(String pathAndQuery) throws Exception {
            return get(pathAndQuery, Map.of(), true);
        }

        public boolean isClosed() {
            return session.isClosed();
        }

        @Override
        public void close() {
            session.close(ErrorCode.NO_ERROR.code, "done", Callback.NOOP);
        }
    }

    /** One stream: its status and the SSE events and comments it received. */
    public static final class H2Stream implements Stream.Listener {
        private final boolean read;
        private Stream stream;
        public volatile int status;
        public final List<SseEvent> events = new CopyOnWriteArrayList<>();
        public final List<String> comments = new CopyOnWriteArrayList<>();
        private final SseParser parser = new SseParser(events::add, comments::add);
        public volatile boolean ended;
        public volatile boolean reset;
        public final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

        H2Stream(boolean read) {
            this.read = read;
        }

        @Override
        public void onHeaders(Stream s, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response response) {
                status = response.getStatus();
            }
            if (frame.isEndStream()) {
                ended = true;
            } else if (read) {
                s.demand();
            }
        }

        @Override
        public void onDataAvailable(Stream s) {
            Stream.Data data = s.readData();
            if (data == null) {
                s.demand();
                return;
            }
            ByteBuffer buffer = data.frame().getByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            synchronized (parser) {
                parser.feed(bytes, 0, bytes.length);
            }
            this.bytes.addAndGet(bytes.length);
            boolean last = data.frame().isEndStream();
            data.release();
            if (last) {
                ended = true;
            } else {
                s.demand();
            }
        }

        @Override
        public void onReset(Stream s, ResetFrame frame, Callback callback) {
            reset = true;
            callback.succeeded();
        }

        /** Resets the stream (RST_STREAM CANCEL), as a browser does when a page closes an EventSource. */
        public void cancel() {
            stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
        }

        /** Waits until {@code condition} holds. */
        public static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what);
                }
                Thread.sleep(10);
            }
        }
    }
}
