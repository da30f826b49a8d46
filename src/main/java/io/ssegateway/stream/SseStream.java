package io.ssegateway.stream;

import io.ssegateway.broker.Replay;
import io.ssegateway.config.SlowConsumerPolicy;
import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.Frame;
import io.ssegateway.event.FrameEncoder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One client connection: a bounded queue of frames and a write pump that never blocks.
 *
 * <p>Producers (the broker's fan-out thread, heartbeats, shutdown) only {@link #offer} frames;
 * if the pump is {@link StreamState#IDLE} the producer that finds it so hands a pump run to the
 * pump executor. The pump drains the queue while {@code isReady()} is true, coalescing all
 * queued frames into one write, and stops when it is false; the container's
 * {@link #onWritePossible()} resumes it. So exactly one thread writes at a time, no thread ever
 * waits for a client's socket, and a client that stops reading costs at most its queue bound.
 *
 * <p>Locking: every field below marked "guarded" is read and written under {@code this}. The
 * pump decides under the lock and writes after releasing it; container calls
 * ({@code isReady}) made under the lock never call back into this stream synchronously.
 *
 * <p>A closed stream ends for good: the queue is released, the hub forgets it and its capacity
 * permit is returned, all exactly once; no further frames are accepted.
 */
public final class SseStream implements WriteListener, AsyncListener {
    private static final System.Logger LOG = System.getLogger(SseStream.class.getName());
    private static final ControlFrame HEARTBEAT = new ControlFrame(FrameEncoder.comment("heartbeat"));

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final FrameWriter writer;
    private final List<String> topics;
    private final int queueMaxBytes;
    private final StreamHost host;

    // guarded by this
    private StreamState state = StreamState.OPENING;
    private final FrameQueue queue;
    /** Live events that arrived while OPENING; merged behind the replay by {@link #open}. */
    private List<Event> early = new ArrayList<>(0);
    /** Bytes held in {@code early}; bounded like the queue. */
    private int earlyBytes;
    /** Highest event id queued; later offers of an id at or below it (same epoch) are duplicates. */
    private EventId lastQueued;
    /** Set by {@link #shutdown}: close once the queue is written. */
    private boolean closeWhenDrained;
    private CloseReason closeReason;

    /** Only touched by the thread that owns the pump (handed over under the lock). */
    private boolean flushPending;
    /** Run once when the stream closes (release a per-client slot, cancel a token-expiry timer). */
    private final List<Runnable> onClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SseStream(AsyncContext async, ServletOutputStream out, FrameWriter writer, List<String> topics,
                     int queueMaxBytes, SlowConsumerPolicy policy, StreamHost host) {
        this.async = Objects.requireNonNull(async, "async");
        this.out = Objects.requireNonNull(out, "out");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.topics = List.copyOf(topics);
        this.queueMaxBytes = queueMaxBytes;
        this.queue = new FrameQueue(queueMaxBytes, Objects.requireNonNull(policy, "policy"));
        this.host = Objects.requireNonNull(host, "host");
    }

    public List<String> topics() {
        return topics;
    }

    /** Runs {@code action} once when the stream closes; at once if it is already closed. */
    public void whenClosed(Runnable action) {
        onClose.add(action);
        if (state() == StreamState.CLOSED && onClose.remove(action)) {
            action.run();
        }
    }

    /**
     * Queues the stream's first frames (preamble, gap, replay), then the live events that arrived
     * meanwhile minus those the replay already holds, and starts writing. Called once, on a
     * container thread, after the hub registered the stream and the broker confirmed delivery.
     *
     * @param head       frames to send first, in order
     * @param lastQueued the id of the last event in {@code head} or, if none, the client's
     *                   Last-Event-ID when it is of the current epoch; null otherwise
     */
    public void open(List<Frame> head, EventId lastQueued) {
        synchronized (this) {
            if (state == StreamState.CLOSED) {
                return;
            }
            if (state != StreamState.OPENING) {
                throw new IllegalStateException("open() in state " + state);
            }
            for (Frame f : head) {
                queue.add(f);
            }
            this.lastQueued = lastQueued;
            List<Event> held = early;
            early = null;
            state = StreamState.WAITING;
            for (Event e : held) {
                if (!isDuplicate(e)) {
                    this.lastQueued = e.id();
                    queue.add(e);
                }
            }
        }
        // The container calls onWritePossible once the output can take the first write.
        out.setWriteListener(this);
    }

    /** Offers a live event; never blocks. Duplicates of replayed events are skipped. */
    public void offer(Event event) {
        boolean wake = false;
        int dropped = 0;
        CloseReason pendingClose;
        synchronized (this) {
            switch (state) {
                case CLOSED:
                    return;
                case OPENING:
                    early.add(event);
                    earlyBytes += event.frame().length;
                    if (earlyBytes > queueMaxBytes) {
                        // Too much arrived before the stream could start: the client resumes later.
                        closeReason = CloseReason.SLOW_CONSUMER;
                        break;
                    }
                    return;
                default:
                    break;
            }
            if (closeReason != null || isDuplicate(event)) {
                // fall through to afterOffer: a pending close is carried out there
            } else {
                dropped = queue.offer(event);
                if (dropped < 0) {
                    closeReason = CloseReason.SLOW_CONSUMER;
                } else {
                    lastQueued = event.id();
                    wake = claimIdlePump();
                }
            }
            pendingClose = closeReason;
        }
        if (dropped > 0) {
            host.dropped(dropped);
        }
        afterOffer(wake, pendingClose);
    }

    /**
     * Queues a control frame (a live {@code gap} event) after what is queued; it bypasses the
     * queue bound because it is small and must not be lost.
     */
    public void offerControl(ControlFrame frame) {
        boolean wake;
        synchronized (this) {
            if (state == StreamState.CLOSED || state == StreamState.OPENING) {
                // An opening stream takes its own replay snapshot, which reports any gap itself.
                return;
            }
            queue.add(frame);
            wake = claimIdlePump();
        }
        afterOffer(wake, null);
    }

    /** Queues a heartbeat comment unless frames are already waiting (they prove liveness too). */
    public void heartbeat() {
        boolean wake;
        synchronized (this) {
            if (state == StreamState.CLOSED || state == StreamState.OPENING || !queue.isEmpty()) {
                return;
            }
            queue.add(HEARTBEAT);
            wake = claimIdlePump();
        }
        afterOffer(wake, null);
    }

    /**
     * Queues the {@code server-shutdown} event, which carries the jittered {@code retry:}, and
     * closes the stream once it is written.
     */
    public void shutdown(ControlFrame shutdownFrame) {
        boolean wake = false;
        CloseReason pendingClose = null;
        synchronized (this) {
            if (state == StreamState.CLOSED) {
                return;
            }
            if (state == StreamState.OPENING) {
                // Nothing was sent yet: close at once, the client's reconnect goes elsewhere.
                closeReason = CloseReason.SHUTDOWN;
                pendingClose = closeReason;
            } else {
                queue.add(shutdownFrame);
                closeWhenDrained = true;
                wake = claimIdlePump();
            }
        }
        afterOffer(wake, pendingClose);
    }

    /** Bytes waiting in the queue now. */
    public synchronized int queuedBytes() {
        return queue.bytes();
    }

    public synchronized StreamState state() {
        return state;
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            if (state == StreamState.CLOSED) {
                return;
            }
            if (state != StreamState.WAITING) {
                throw new IllegalStateException("onWritePossible() in state " + state);
            }
            // The container's callback owns the pump now.
            state = StreamState.PUMPING;
        }
        pump();
    }

    /**
     * Drains the queue while the output is ready. Runs only on the thread that moved the state to
     * PUMPING; returns when the queue is empty (IDLE), the output is busy (WAITING) or the stream
     * closed.
     */
    private void pump() {
        for (;;) {
            ByteBuffer chunk = null;
            long oldestPublished = 0;
            boolean flush = false;
            boolean finished = false;
            boolean gap = false;
            synchronized (this) {
                if (state != StreamState.PUMPING) {
                    return;
                }
                if (!out.isReady()) {
                    state = StreamState.WAITING;
                    return;
                }
                if (flushPending) {
                    flushPending = false;
                    flush = true;
                } else if (!queue.isEmpty() || queue.gapPending()) {
                    oldestPublished = queue.oldestPublishedAt();
                    gap = queue.gapPending();
                    chunk = queue.drain();
                } else if (closeWhenDrained) {
                    finished = true;
                } else {
                    state = StreamState.IDLE;
                    return;
                }
            }
            if (finished) {
                close(CloseReason.SHUTDOWN);
                return;
            }
            if (gap) {
                host.gapSignalled(Replay.Gap.DROPPED);
            }
            try {
                if (flush) {
                    out.flush();
                } else {
                    int bytes = chunk.remaining();
                    flushPending = writer.write(out, chunk);
                    host.written(bytes, oldestPublished);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "write failed, closing " + this, e);
                close(CloseReason.CLIENT_GONE);
                return;
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onError(AsyncEvent event) {
        close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not re-dispatched: nothing to do.
    }

    /**
     * Ends the stream for {@code reason}: releases the queue, leaves the hub, returns the permit
     * and completes the response. Only the first call acts.
     */
    public void close(CloseReason reason) {
        synchronized (this) {
            if (state == StreamState.CLOSED) {
                return;
            }
            state = StreamState.CLOSED;
            queue.clear();
            early = null;
        }
        host.closed(this, reason);
        for (Runnable action : onClose) {
            if (onClose.remove(action)) {
                action.run();
            }
        }
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it first (client gone); nothing left to do.
        }
    }

    @Override
    public synchronized String toString() {
        return "SseStream{state=" + state + ", topics=" + topics + ", queued=" + queue.size() + "/" + queue.bytes()
            + "B, lastQueued=" + lastQueued + "}";
    }

    // ---- helpers; all called under the lock ----

    private boolean isDuplicate(Event e) {
        return lastQueued != null && lastQueued.epoch().equals(e.id().epoch()) && e.seq() <= lastQueued.seq();
    }

    private boolean claimIdlePump() {
        if (state == StreamState.IDLE) {
            // This producer found the pump idle: it, and only it, starts the next run.
            state = StreamState.PUMPING;
            return true;
        }
        return false;
    }

    /** Acts, outside the lock, on what an offer decided under it. */
    private void afterOffer(boolean wake, CloseReason pendingClose) {
        if (pendingClose != null) {
            // Complete on the pump executor: a producer thread must not do container work.
            host.execute(() -> close(pendingClose));
        } else if (wake) {
            host.execute(this::pump);
        }
    }
}
