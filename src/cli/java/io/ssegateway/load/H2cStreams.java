package io.ssegateway.load;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.MetaData;

/**
 * Opens the load's streams over h2c (HTTP/2 with prior knowledge, for http URLs), a given number
 * on each {@link H2cConnection}. The streams of one connection live on one {@link SelectorLoop}:
 * its thread opens them, reads their frames and feeds each stream's bytes to its
 * {@link SseConnection} under the loop's lock, so a frame costs no hand-over between threads.
 *
 * <p>With {@code resume}, each stream behaves as a browser's {@code EventSource} does when its
 * stream ends or its connection fails: after the server's {@code retry:} delay (3 s until one
 * arrives) it opens again with {@code Last-Event-ID}, over its connection group's current
 * connection or a new one; a connection that cannot be made is tried again after the same delay;
 * an answer other than 200 ends the stream for good. That is a node's restart as a million browsers
 * meet it.
 */
final class H2cStreams implements Http2Streams {
    private final LoadOptions options;
    private final ResumeCounts resumes = new ResumeCounts();

    H2cStreams(LoadOptions options) {
        this.options = options;
    }

    @Override
    public void open(List<SelectorLoop> loops, InetSocketAddress server, int perConnection) throws InterruptedException {
        Ramp ramp = new Ramp(options.rampPerSecond());
        Group group = null;
        for (int i = 0; i < options.streams(); i++) {
            if (i % perConnection == 0) {
                group = new Group(loops.get(i / perConnection % loops.size()), server);
            }
            SseConnection connection = new SseConnection(i, null);
            connection.phase = SseConnection.Phase.BODY;
            group.loop.add(connection);
            H2cStream stream = new H2cStream(connection, group);
            group.loop.execute(() -> stream.attempt(false));
            ramp.pace();
        }
    }

    @Override
    public ResumeCounts resumes() {
        return resumes;
    }

    /** Nothing to release: the connections are the loops', closed when they stop. */
    @Override
    public void close() {
    }

    /**
     * The streams that share one connection, and their loop. The connection is made again when a
     * stream wants it and the last one can take no more streams (a restarted node), once for all.
     */
    private static final class Group {
        final SelectorLoop loop;
        private final InetSocketAddress server;
        /** The latest connection; on the loop's thread only. */
        private H2cConnection connection;

        Group(SelectorLoop loop, InetSocketAddress server) {
            this.loop = loop;
            this.server = server;
        }

        H2cConnection connection() {
            if (connection == null || !connection.usable()) {
                connection = new H2cConnection(loop, server, H2cConnection.LOAD_WINDOW);
            }
            return connection;
        }
    }

    /** One stream across its attempts, on its loop's thread. */
    private final class H2cStream implements H2cConnection.StreamListener {
        private final SseConnection connection;
        private final Group group;
        /** The current attempt's counts; under the loop's lock. */
        private StreamAttempt attempt;

        H2cStream(SseConnection connection, Group group) {
            this.connection = connection;
            this.group = group;
        }

        /** Sends the request on the group's connection; {@code resuming} adds Last-Event-ID. */
        void attempt(boolean resuming) {
            MetaData.Request request;
            synchronized (group.loop) {
                attempt = new StreamAttempt(connection, group.loop, options.resume() ? resumes : null, resuming);
                request = attempt.request(options);
            }
            group.connection().open(request, this);
        }

        @Override
        public void onResponse(int status, boolean endStream) {
            synchronized (group.loop) {
                attempt.answered(status, endStream);
            }
        }

        @Override
        public void onData(ByteBuffer data) {
            synchronized (group.loop) {
                attempt.data(data.array(), data.arrayOffset() + data.position(), data.remaining());
            }
        }

        @Override
        public void onEnd() {
            boolean again;
            synchronized (group.loop) {
                again = attempt.end();
            }
            if (again) {
                group.loop.schedule(connection.retryMillis(), () -> attempt(true));
            }
        }
    }
}
