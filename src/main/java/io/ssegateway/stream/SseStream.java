package io.ssegateway.stream;

import io.ssegateway.broker.Replay;
import io.ssegateway.config.SlowConsumerPolicy;
import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.WireFormat;
import io.ssegateway.hub.Selector;
import io.ssegateway.hub.Subscriber;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One client's stream: the producer API (offer, heartbeat, shutdown, close) and the state machine
 * ({@link StreamState}, and {@link PumpState} while open) that owns all of the stream's state,
 * including its hub membership. The {@link WritePump} writes; an {@link OpeningBuffer} holds live
 * events until the replay has been written.
 *
 * <p>Producers (the broker's fan-out thread, the ticker, shutdown) never write and never block:
 * they queue and, if the pump is {@link PumpState#IDLE}, the producer that finds it so hands a pump
 * run to the pump executor. A close decided by a producer moves the stream to
 * {@link StreamState#CLOSING} and runs on the pump executor; later offers are ignored.
 *
 * <p>Locking: every field marked "guarded" is read and written under {@code this}. Decisions are
 * made under the lock and acted on after it (write, register, complete, executor hand-off).
 * Container calls made under the lock ({@code isReady}) never call back into the stream.
 *
 * <p>A closed stream ends for good: it leaves the hub (even if it closed while registering), its
 * queue is released, its permit returned (the {@link #whenClosed} actions), all exactly once.
 */
public final class SseStream implements AsyncListener, Subscriber {

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final List<String> topics;
    private final WireFormat format;
    private final Selector selector;
    private final int queueMaxBytes;
    private final StreamHost host;
    private final WritePump pump;

    // guarded by this
    private StreamState state = StreamState.NEW;
    private PumpState pumpState = PumpState.WAITING;
    private final FrameQueue queue;
    /** Live events held while OPENING or CATCHING_UP; null otherwise. */
    private OpeningBuffer held;
    /** True if this stream resumes from an id: held events that overflow can be re-read from history. */
    private final boolean resuming;
    /** Highest event id queued; later offers of an id at or below it (same epoch) are duplicates. */
    private EventId lastQueued;
    /** Set by the pump at each write, cleared by each heartbeat tick: the stall check. */
    private boolean wroteSinceTick;
    /** Run once when the stream closes (release the permit, cancel a token-expiry timer). */
    private List<Runnable> onClose = new ArrayList<>(2);
    /** Stops the container's disconnect watch; run before the response completes. */
    private Runnable stopWatch = () -> { };

    public SseStream(AsyncContext async, ServletOutputStream out, FrameWriter writer, Subscription subscription,
                     int queueMaxBytes, SlowConsumerPolicy policy, StreamHost host) {
        this.async = Objects.requireNonNull(async, "async");
        this.out = Objects.requireNonNull(out, "out");
        this.topics = subscription.topics();
        this.format = subscription.format();
        this.selector = subscription.selector();
        this.queueMaxBytes = queueMaxBytes;
        this.queue = new FrameQueue(queueMaxBytes, Objects.requireNonNull(policy, "policy"));
        this.host = Objects.requireNonNull(host, "host");
        this.resuming = subscription.resuming();
        this.pump = new WritePump(this, out, Objects.requireNonNull(writer, "writer"), host);
    }

    @Override
    public List<String> topics() {
        return topics;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    /** Runs {@code action} once when the stream closes; at once if it is already closed. */
    public void whenClosed(Runnable action) {
        synchronized (this) {
            if (state != StreamState.CLOSED) {
                onClose.add(action);
                return;
            }
        }
        action.run();
    }

    /**
     * Watches for the client leaving while nothing is written: {@code watch} is started now, its
     * stop action kept for the close.
     */
    public void watchDisconnect(DisconnectWatch watch, jakarta.servlet.http.HttpServletRequest request) {
        Runnable stop = watch.watch(request, () -> host.execute(() -> close(CloseReason.CLIENT_GONE)));
        boolean closed;
        synchronized (this) {
            closed = state == StreamState.CLOSED;
            if (!closed) {
                stopWatch = stop;
            }
        }
        if (closed) {
            stop.run();
        }
    }

    /**
     * NEW to OPENING: joins the hub, so live events start to be held for this stream. The future
     * completes when the broker delivers every topic live; only then may the replay be read.
     */
    public CompletableFuture<Void> start() {
        synchronized (this) {
            if (state != StreamState.NEW) {
                return CompletableFuture.failedFuture(new IllegalStateException("start() in state " + state));
            }
            state = StreamState.OPENING;
            held = new OpeningBuffer(queueMaxBytes);
        }
        CompletableFuture<Void> subscribed = host.register(this);
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = state == StreamState.CLOSED;
        }
        if (closedMeanwhile) {
            // close() ran while we registered and may have unregistered before we were in: leave now.
            host.unregister(this);
        }
        return subscribed;
    }

    /**
     * OPENING to CATCHING_UP or LIVE: queues the preamble and the replay's first page (with its gap
     * event, if any) and starts writing. Called once, after the broker confirmed live delivery.
     *
     * @param preamble   the stream's first frame
     * @param retryField the {@code retry:} line, sent in the block of the stream's first event
     * @param resumeFrom the client's Last-Event-ID, or null for a new stream
     * @param firstPage  the history after {@code resumeFrom} (its first page), or null for a new stream
     */
    public void open(ControlFrame preamble, byte[] retryField, EventId resumeFrom, Replay firstPage) {
        int replayed = 0;
        synchronized (this) {
            if (state == StreamState.CLOSING || state == StreamState.CLOSED) {
                return;
            }
            if (state != StreamState.OPENING) {
                throw new IllegalStateException("open() in state " + state);
            }
            queue.add(preamble);
            queue.retryWithFirstEvent(retryField);
            lastQueued = resumeFrom;
            if (firstPage != null) {
                replayed = queuePage(firstPage);
            }
            boolean more = firstPage != null && firstPage.more();
            pumpState = PumpState.WAITING;
            // The first tick may come at once: a stall is only judged over a whole interval.
            wroteSinceTick = true;
            // (Only a resuming stream can have overflowed here: offer() closes a new one at once.)
            if (more || held.overflowed()) {
                held.reset();
                state = StreamState.CATCHING_UP;
            } else {
                goLive();
            }
        }
        reportPage(firstPage, replayed);
        // The container calls onWritePossible once the output can take the first write.
        pump.start();
    }

    /** Offers a live event; never blocks. Duplicates of replayed events are skipped. */
    @Override
    public void offer(Event event) {
        boolean wake = false;
        boolean slow = false;
        int dropped = 0;
        synchronized (this) {
            switch (state) {
                case OPENING, CATCHING_UP -> {
                    held.hold(event);
                    // A resuming stream re-reads discarded events from history; a new one has no id to page from.
                    slow = held.overflowed() && !resuming && state == StreamState.OPENING;
                }
                case LIVE -> {
                    if (!isDuplicate(event)) {
                        dropped = queue.offer(event.in(format));
                        slow = dropped < 0;
                        if (!slow) {
                            lastQueued = event.id();
                            wake = claimIdlePump();
                        }
                    }
                }
                default -> {
                    return;
                }
            }
            if (slow) {
                state = StreamState.CLOSING;
            }
        }
        if (slow) {
            // Complete on the pump executor: a producer thread must not do container work.
            host.execute(() -> close(CloseReason.SLOW_CONSUMER));
            return;
        }
        if (dropped > 0) {
            host.dropped(dropped);
        }
        if (wake) {
            host.execute(pump::run);
        }
    }

    /**
     * Queues a live {@code gap} event after what is queued; it bypasses the queue bound because it
     * is small and must not be lost. A stream that is not live yet reads history itself, which
     * reports any gap.
     */
    @Override
    public void offerGap(String reason, EventId restart) {
        boolean wake;
        synchronized (this) {
            if (state != StreamState.LIVE) {
                return;
            }
            queue.add(ControlFrames.liveGap(reason, restart, format));
            wake = claimIdlePump();
        }
        if (wake) {
            host.execute(pump::run);
        }
    }

    /**
     * The ticker's call, once per heartbeat interval: queues a heartbeat comment if nothing waits,
     * and applies the slow-consumer policy to a stream that wrote nothing for a whole interval
     * while it was behind (paging through history, or its queue over half full), so a client that
     * never reads is closed without waiting for a live event.
     */
    public void heartbeat() {
        boolean wake = false;
        boolean stalled = false;
        synchronized (this) {
            if (state != StreamState.LIVE && state != StreamState.CATCHING_UP) {
                return;
            }
            boolean behind = state == StreamState.CATCHING_UP || queue.bytes() > queueMaxBytes / 2;
            // WAITING: a write is in flight that the client has not taken for a whole interval.
            if (behind && pumpState == PumpState.WAITING && !wroteSinceTick) {
                state = StreamState.CLOSING;
                stalled = true;
            } else if (queue.isEmpty() && state == StreamState.LIVE) {
                queue.add(ControlFrames.heartbeat());
                wake = claimIdlePump();
            }
            wroteSinceTick = false;
        }
        if (stalled) {
            host.execute(() -> close(CloseReason.SLOW_CONSUMER));
        } else if (wake) {
            host.execute(pump::run);
        }
    }

    /**
     * Queues the {@code server-shutdown} event, which carries the jittered {@code retry:}, and
     * closes the stream once it is written (DRAINING). A stream not opened yet closes at once.
     */
    public void shutdown(ControlFrame shutdownFrame) {
        boolean wake = false;
        boolean closeNow = false;
        synchronized (this) {
            switch (state) {
                case NEW, OPENING -> {
                    state = StreamState.CLOSING;
                    closeNow = true;
                }
                case CATCHING_UP, LIVE -> {
                    queue.add(shutdownFrame);
                    held = null;
                    state = StreamState.DRAINING;
                    wake = claimIdlePump();
                }
                default -> {
                    return;
                }
            }
        }
        if (closeNow) {
            host.execute(() -> close(CloseReason.SHUTDOWN));
        } else if (wake) {
            host.execute(pump::run);
        }
    }

    /** Bytes waiting in the queue now. */
    public synchronized int queuedBytes() {
        return queue.bytes();
    }

    public synchronized StreamState state() {
        return state;
    }

    /**
     * Ends the stream for {@code reason}: stops the disconnect watch, leaves the hub, releases the
     * queue, runs the close actions (permit) and completes the response. Only the first call acts.
     * A stream closed before it was opened answers with a jittered {@code retry:}, never an empty body.
     */
    public void close(CloseReason reason) {
        StreamState was;
        List<Runnable> actions;
        Runnable stop;
        synchronized (this) {
            if (state == StreamState.CLOSED) {
                return;
            }
            was = state;
            state = StreamState.CLOSED;
            queue.clear();
            held = null;
            actions = onClose;
            onClose = List.of();
            stop = stopWatch;
        }
        stop.run();
        if (was != StreamState.NEW) {
            host.unregister(this);
        }
        host.closed(this, reason);
        for (Runnable action : actions) {
            action.run();
        }
        if ((was == StreamState.NEW || was == StreamState.OPENING) && !async.getResponse().isCommitted()) {
            try {
                out.write(host.closedBeforeOpen(reason).frame());
            } catch (IOException | RuntimeException clientGone) {
                // Nothing more to tell it.
            }
        }
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it first (client gone); nothing left to do.
        }
    }

    // ---- AsyncListener: the container's view of the exchange ----

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

    @Override
    public synchronized String toString() {
        return "SseStream{" + state + (state.isPumping() ? "/" + pumpState : "") + ", topics=" + topics
            + ", queued=" + queue.size() + "/" + queue.bytes() + "B, lastQueued=" + lastQueued + "}";
    }

    // ---- the pump's side; each call is made by the thread that owns the pump ----

    /** WAITING to PUMPING on the container's callback; false if the stream is not writing. */
    synchronized boolean writePossible() {
        if (!state.isPumping()) {
            return false;
        }
        if (pumpState != PumpState.WAITING) {
            throw new IllegalStateException("onWritePossible() in " + this);
        }
        pumpState = PumpState.PUMPING;
        return true;
    }

    /**
     * Decides the pump's next step. WRITE leaves the coalesced chunk in {@code pump.chunk}.
     * Moves the pump to WAITING when the output is busy and to IDLE when nothing is left.
     */
    synchronized WritePump.Step next(WritePump p) {
        if (!state.isPumping() || pumpState != PumpState.PUMPING) {
            return WritePump.Step.STOP;
        }
        if (!p.isReady()) {
            pumpState = PumpState.WAITING;
            return WritePump.Step.STOP;
        }
        if (p.flushPending()) {
            return WritePump.Step.FLUSH;
        }
        if (!queue.isEmpty() || queue.gapPending()) {
            if (queue.gapPending()) {
                host.gapSignalled(ControlFrames.DROPPED);
            }
            p.chunkOldestPublished = queue.oldestPublishedAt();
            p.chunk = queue.drain();
            return WritePump.Step.WRITE;
        }
        switch (state) {
            case CATCHING_UP:
                return WritePump.Step.FETCH_PAGE;
            case DRAINING:
                state = StreamState.CLOSING;
                return WritePump.Step.FINISH;
            default:
                pumpState = PumpState.IDLE;
                return WritePump.Step.STOP;
        }
    }

    synchronized void wrote() {
        wroteSinceTick = true;
    }

    /** The id the next replay page starts after. */
    synchronized EventId pageAfter() {
        return lastQueued;
    }

    /** Bytes the next replay page may hold: what the queue has room for. */
    synchronized int pageBudget() {
        return Math.max(1, queueMaxBytes - queue.bytes());
    }

    /**
     * Queues a replay page. After the last page, live events held meanwhile are merged behind it
     * (LIVE), unless some were discarded: then the stream pages on, since they are in history.
     */
    void pageRead(Replay page) {
        int replayed;
        synchronized (this) {
            if (state != StreamState.CATCHING_UP) {
                return;
            }
            replayed = queuePage(page);
            if (!page.more()) {
                if (held.overflowed()) {
                    held.reset();
                } else {
                    goLive();
                }
            }
        }
        reportPage(page, replayed);
    }

    /** Reports what a queued page held (outside the lock); nothing for a stream that did not resume. */
    private void reportPage(Replay page, int replayed) {
        if (page == null) {
            return;
        }
        if (page.gap() != null) {
            host.gapSignalled(page.gap().wireName());
        }
        host.replayed(replayed);
    }

    // ---- helpers; all called under the lock ----

    /**
     * Queues a replay page after the last queued id: its gap event (naming that id), then its events
     * that are not duplicates. Returns how many events were queued.
     */
    private int queuePage(Replay page) {
        if (page.gap() != null) {
            queue.add(ControlFrames.gap(page.gap().wireName(), lastQueued, page.restart(), format));
            if (page.restart() != null) {
                lastQueued = page.restart();
            }
        }
        int queued = 0;
        for (Event e : page.events()) {
            if (!isDuplicate(e)) {
                queue.add(e.replayed(format));
                lastQueued = e.id();
                queued++;
            }
        }
        // A filtered page covers events this stream does not want: the next page starts after them.
        EventId through = page.through();
        if (through != null && (lastQueued == null || !through.epoch().equals(lastQueued.epoch())
            || through.seq() > lastQueued.seq())) {
            lastQueued = through;
        }
        return queued;
    }

    /** Merges the held live events behind what is queued and goes LIVE. */
    private void goLive() {
        for (Event e : held.events()) {
            if (!isDuplicate(e)) {
                lastQueued = e.id();
                queue.add(e.in(format));
            }
        }
        held = null;
        state = StreamState.LIVE;
    }

    private boolean isDuplicate(Event e) {
        return lastQueued != null && lastQueued.epoch().equals(e.id().epoch()) && e.seq() <= lastQueued.seq();
    }

    private boolean claimIdlePump() {
        if (pumpState == PumpState.IDLE) {
            // This producer found the pump idle: it, and only it, starts the next run.
            pumpState = PumpState.PUMPING;
            return true;
        }
        return false;
    }
}
