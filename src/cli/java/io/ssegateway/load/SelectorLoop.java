package io.ssegateway.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One selector thread of the load generator: connects its share of the streams, sends each
 * request, and parses what arrives. Everything it owns (connections, their stats, its latency
 * histogram) is touched by its thread alone; counters read by the progress line are atomics.
 *
 * <p>HTTP/1.1 connections are its own; other connections ({@link Channel}: an h2c connection and
 * its streams) register here and are told when their key is ready. Tasks handed over with
 * {@link #execute} and timers set with {@link #schedule} run on the loop's thread as well.
 */
final class SelectorLoop implements Runnable, SseConnection.EventListener {
    /** A connection that reads and writes for itself on this loop's thread. */
    interface Channel {
        /** Its key is ready (connect, read or write); called on the loop's thread. */
        void ready(SelectionKey key);
    }

    /** A task due at {@code dueNanos}. */
    private record Timer(long dueNanos, Runnable task) {
    }

    private final Selector selector;
    private final Queue<SseConnection> incoming = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Touched by the loop's thread only. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    /** A heap buffer, so what is read is parsed from its array without another copy. */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    final List<SseConnection> connections = new ArrayList<>();
    /** Publish-to-receive latency in microseconds. */
    final Histogram latency = new Histogram(60_000_000L, 3);
    /** The same, per publication (for runs with few). */
    final PublicationLatencies latencyByPublication = new PublicationLatencies();
    final AtomicLong established = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    volatile long lastFrameNanos;
    private volatile boolean running = true;

    SelectorLoop() throws IOException {
        this.selector = Selector.open();
    }

    /** Hands over a channel whose connect() was started; called from the ramp thread. */
    void add(SseConnection connection) {
        incoming.add(connection);
        selector.wakeup();
    }

    /** Runs {@code task} on the loop's thread; called from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the loop's thread after {@code delayMillis}; called on the loop's thread. */
    void schedule(long delayMillis, Runnable task) {
        timers.add(new Timer(System.nanoTime() + delayMillis * 1_000_000L, task));
    }

    /** Registers a channel that handles its own readiness; called on the loop's thread. */
    SelectionKey register(SocketChannel channel, int ops, Channel handler) throws IOException {
        return channel.register(selector, ops, handler);
    }

    /** The loop's read buffer (a heap buffer), for a {@link Channel} to read into; on the loop's thread only. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                long wait = timers.isEmpty() ? 200 : Math.min(200, (timers.peek().dueNanos - System.nanoTime()) / 1_000_000);
                if (wait > 0) {
                    selector.select(wait);
                } else {
                    selector.selectNow();
                }
                for (SseConnection c; (c = incoming.poll()) != null; ) {
                    connections.add(c);
                    if (c.channel != null) { // HTTP/2 streams belong to their connection (H2cStreams, H2Streams)
                        c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                    }
                }
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                while (!timers.isEmpty() && timers.peek().dueNanos - System.nanoTime() <= 0) {
                    timers.poll().task().run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.attachment() instanceof Channel channel) {
                        channel.ready(key);
                    } else {
                        handle(key, (SseConnection) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // the connection is gone either way
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void handle(SelectionKey key, SseConnection c) {
        try {
            if (key.isConnectable()) {
                c.channel.finishConnect();
                key.interestOps(SelectionKey.OP_WRITE);
            } else if (key.isWritable()) {
                c.channel.write(c.pendingRequest);
                if (!c.pendingRequest.hasRemaining()) {
                    c.pendingRequest = null;
                    c.phase = SseConnection.Phase.HEAD;
                    key.interestOps(SelectionKey.OP_READ);
                }
            } else if (key.isReadable()) {
                readBuffer.clear();
                int n = c.channel.read(readBuffer);
                if (n < 0) {
                    fail(key, c);
                    return;
                }
                readBuffer.flip();
                boolean wasHead = c.phase == SseConnection.Phase.HEAD;
                c.feed(readBuffer.array(), readBuffer.position(), readBuffer.remaining(), this);
                if (wasHead && c.phase != SseConnection.Phase.HEAD) {
                    if (c.status() == 200) {
                        established.incrementAndGet();
                    } else {
                        fail(key, c);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(key, c);
        }
    }

    private void fail(SelectionKey key, SseConnection c) {
        if (c.phase != SseConnection.Phase.CLOSED) {
            if (c.status() == 200 && c.phase == SseConnection.Phase.BODY) {
                established.decrementAndGet();
            }
            failed.incrementAndGet();
            c.phase = SseConnection.Phase.CLOSED;
        }
        key.cancel();
        closeQuietly(c);
    }

    /** Counts an event; HTTP/2 streams call it from Jetty's threads holding this loop's lock. */
    @Override
    public void onEvent(SseConnection connection, String id, String type, long publishedMicros) {
        if (type != null && !"message".equals(type)) {
            return; // control events (gap, server-shutdown) are not load
        }
        connection.stats.onEvent(id == null ? "" : id);
        frames.incrementAndGet();
        lastFrameNanos = System.nanoTime();
        if (publishedMicros > 0) {
            long latencyMicros = Math.max(0, Math.min(nowMicros() - publishedMicros, latency.getHighestTrackableValue()));
            latency.recordValue(latencyMicros);
            latencyByPublication.record(publishedMicros, latencyMicros);
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    static ByteBuffer request(String pathAndQuery, String host) {
        return ByteBuffer.wrap(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n"
            + "Cache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void closeQuietly(SseConnection c) {
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }
}
