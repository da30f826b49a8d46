package io.ssegateway.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One selector thread of the load generator: connects its share of the streams, sends each
 * request, and parses what arrives. Everything it owns (connections, their stats, its latency
 * histogram) is touched by its thread alone; counters read by the progress line are atomics.
 */
final class SelectorLoop implements Runnable, SseConnection.EventListener {
    private final Selector selector;
    private final Queue<SseConnection> incoming = new ConcurrentLinkedQueue<>();
    /** A heap buffer, so what is read is parsed from its array without another copy. */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    final List<SseConnection> connections = new ArrayList<>();
    /** Publish-to-receive latency in microseconds. */
    final Histogram latency = new Histogram(60_000_000L, 3);
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

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select(200);
                for (SseConnection c; (c = incoming.poll()) != null; ) {
                    connections.add(c);
                    if (c.channel != null) { // HTTP/2 streams (H2Streams) are read by Jetty's client
                        c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key, (SseConnection) key.attachment());
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (SseConnection c : connections) {
                if (c.channel != null) {
                    closeQuietly(c);
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
            long latencyMicros = nowMicros() - publishedMicros;
            latency.recordValue(Math.max(0, Math.min(latencyMicros, latency.getHighestTrackableValue())));
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
