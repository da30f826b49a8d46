package io.ssegateway.load;

import io.ssegateway.concurrent.DaemonThreads;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * Opens the load's streams over h2 (TLS with ALPN, for https URLs), a given number on each
 * connection, with Jetty's HTTP/2 client; h2c has the leaner {@link H2cStreams}. Each stream's
 * bytes go through the same {@link SseConnection} parser and the same per-loop counters as
 * HTTP/1.1 streams; Jetty calls back on its own threads, so each loop's counters are updated under
 * the loop's lock.
 *
 * <p>With {@code resume}, each stream behaves as a browser's {@code EventSource} does when its
 * stream ends or its connection fails: after the server's {@code retry:} delay (3 s until one
 * arrives) it opens again with {@code Last-Event-ID}, over its connection group's current
 * connection or a new one; a connection that cannot be made is tried again after the same delay;
 * an answer other than 200 ends the stream for good. That is a node's restart as a million browsers
 * meet it.
 */
final class H2Streams implements Http2Streams {
    private final HTTP2Client client;
    private final LoadOptions options;
    /** Waits out reconnection delays; null without resume. */
    private final ScheduledThreadPoolExecutor timer;
    private final ResumeCounts resumes = new ResumeCounts();

    H2Streams(LoadOptions options, int selectors) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(Math.max(1, selectors));
        // A load tool measures the server; it does not judge its certificate.
        connector.setSslContextFactory(new SslContextFactory.Client(true));
        this.client = new HTTP2Client(connector);
        this.options = options;
        this.timer = options.resume() ? new ScheduledThreadPoolExecutor(1, DaemonThreads.named("load-resume")) : null;
        client.start();
    }

    @Override
    public void open(List<SelectorLoop> loops, InetSocketAddress server, int perConnection) throws Exception {
        Ramp ramp = new Ramp(options.rampPerSecond());
        Group group = null;
        for (int i = 0; i < options.streams(); i++) {
            if (i % perConnection == 0) {
                group = new Group(server);
                group.session().get(30, TimeUnit.SECONDS);
            }
            SseConnection connection = new SseConnection(i, null);
            connection.phase = SseConnection.Phase.BODY;
            SelectorLoop loop = loops.get(i % loops.size());
            loop.add(connection);
            new H2Stream(connection, loop, group).attempt(false);
            ramp.pace();
        }
    }

    @Override
    public ResumeCounts resumes() {
        return resumes;
    }

    @Override
    public void close() throws Exception {
        if (timer != null) {
            timer.shutdownNow();
        }
        client.stop();
    }

    /**
     * The streams that share one connection. The connection is made again when a stream wants it
     * and the last one closed (a restarted node), once for all of them.
     */
    private final class Group {
        private final InetSocketAddress server;
        /** The latest connection: being made, made (reused while open) or failed (made again on the next call). */
        private CompletableFuture<Session> connection;

        Group(InetSocketAddress server) {
            this.server = server;
        }

        synchronized CompletableFuture<Session> session() {
            boolean usable = connection != null
                && (!connection.isDone() || (!connection.isCompletedExceptionally() && !connection.join().isClosed()));
            if (!usable) {
                connection = client.connect(client.getClientConnector().getSslContextFactory(), server, new Session.Listener() { });
            }
            return connection;
        }
    }

    /** One stream across its attempts: what it parsed, which loop counts it, and which connection group it uses. */
    private final class H2Stream {
        private final SseConnection connection;
        private final SelectorLoop loop;
        private final Group group;
        /** The attempt whose callbacks count; an older attempt's late callbacks are ignored. Under the loop's lock. */
        private Attempt current;

        H2Stream(SseConnection connection, SelectorLoop loop, Group group) {
            this.connection = connection;
            this.loop = loop;
            this.group = group;
        }

        /** Sends the request on the group's connection; {@code resuming} adds Last-Event-ID. */
        void attempt(boolean resuming) {
            Attempt attempt;
            MetaData.Request request;
            synchronized (loop) {
                attempt = new Attempt(new StreamAttempt(connection, loop, timer == null ? null : resumes, resuming));
                current = attempt;
                request = attempt.counts.request(options);
            }
            // The outcome arrives in the listener; a stream that could not be made ends the attempt.
            var unused = group.session().thenCompose(session -> session.newStream(new HeadersFrame(request, null, true), attempt))
                .whenComplete((stream, failure) -> {
                    if (failure != null) {
                        attempt.ended();
                    }
                });
        }

        /** Opens again after the server's retry delay, as an EventSource does. */
        private void resumeLater() {
            try {
                var unused = timer.schedule(() -> attempt(true), connection.retryMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException runOver) {
                // the run is over: its own disconnect ended the stream
            }
        }

        /**
         * One request and its response's callbacks, on Jetty's threads: status, then data into the
         * stream's parser. Only the stream's current attempt counts; an older one's late callbacks
         * are ignored.
         */
        private final class Attempt implements Stream.Listener {
            private final StreamAttempt counts;

            Attempt(StreamAttempt counts) {
                this.counts = counts;
            }

            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                if (frame.getMetaData() instanceof MetaData.Response response) {
                    synchronized (loop) {
                        if (current == this) {
                            counts.answered(response.getStatus(), frame.isEndStream());
                        }
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
                    if (current == this) {
                        counts.data(bytes, 0, bytes.length);
                    }
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

            @Override
            public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
                ended();
                callback.succeeded();
            }

            /** The response ended, or no stream could be made: counted once, and opened again later with resume. */
            void ended() {
                boolean again;
                synchronized (loop) {
                    again = current == this && counts.end();
                }
                if (again) {
                    resumeLater();
                }
            }
        }
    }
}
