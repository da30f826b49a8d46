package io.ssegateway.load;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
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
        long intervalNanos = 1_000_000_000L / Math.max(1, options.rampPerSecond());
        long next = System.nanoTime();
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
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
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

    /** One stream across its attempts; on its loop's thread, its parser and counts under the loop's lock. */
    private final class H2cStream implements H2cConnection.StreamListener {
        private final SseConnection connection;
        private final Group group;
        private boolean resuming;
        /** Whether this attempt's answer was 200 (the stream counts as established). */
        private boolean open;
        /** Whether this attempt was counted as over (further callbacks are ignored). */
        private boolean ended;

        H2cStream(SseConnection connection, Group group) {
            this.connection = connection;
            this.group = group;
        }

        /** Sends the request on the group's connection; {@code resuming} adds Last-Event-ID. */
        void attempt(boolean resuming) {
            this.resuming = resuming;
            open = false;
            ended = false;
            HttpFields.Mutable headers = HttpFields.build().put(HttpHeader.ACCEPT, "text/event-stream");
            synchronized (group.loop) {
                if (resuming) {
                    connection.newAttempt();
                    String lastEventId = connection.lastEventId();
                    if (lastEventId != null) {
                        headers.put("Last-Event-ID", lastEventId);
                    }
                }
            }
            MetaData.Request request = new MetaData.Request("GET", HttpURI.from(options.uriFor(connection.index).toString()),
                HttpVersion.HTTP_2, headers);
            group.connection().open(request, this);
        }

        @Override
        public void onResponse(int status, boolean endStream) {
            SelectorLoop loop = group.loop;
            synchronized (loop) {
                if (ended) {
                    return;
                }
                connection.headersFrame(status);
                if (status == 200 && !endStream) {
                    open = true;
                    loop.established.incrementAndGet();
                    if (resuming) {
                        resumes.lastResumedAtMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
                    }
                } else {
                    ended = true;
                    loop.failed.incrementAndGet();
                    connection.phase = SseConnection.Phase.CLOSED;
                    if (resuming) {
                        resumes.closedForGood.incrementAndGet();
                    }
                }
            }
        }

        @Override
        public void onData(ByteBuffer data) {
            synchronized (group.loop) {
                if (!ended) {
                    connection.feed(data.array(), data.arrayOffset() + data.position(), data.remaining(), group.loop);
                }
            }
        }

        /** Counted once per attempt; with resume the stream opens again later, otherwise it counts as failed. */
        @Override
        public void onEnd() {
            SelectorLoop loop = group.loop;
            synchronized (loop) {
                if (ended) {
                    return;
                }
                ended = true;
                connection.phase = SseConnection.Phase.CLOSED;
                if (open) {
                    loop.established.decrementAndGet();
                }
                if (!options.resume()) {
                    loop.failed.incrementAndGet();
                    return;
                }
            }
            if (!open) {
                resumes.refused.incrementAndGet();
            }
            resumes.attempts.incrementAndGet();
            loop.schedule(connection.retryMillis(), () -> attempt(true));
        }
    }
}
