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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One client's stream: the producer API (offer, heartbeat, shutdown, close) and the state machine
 * ({@link StreamState}, and {@link PumpState} while the pump runs) that owns the stream's state,
 * including its hub membership. Its parts: the {@link FrameQueue} of frames to write, the
 * {@link EventOrder} that queues replay pages and live events each once, the {@link WritePump} that
 * writes to its {@link StreamOutput}, which also tells when the client left.
 *
 * <p>Every move goes through {@link #moveTo} or {@link #movePump}, which check the diagrams in
 * {@link StreamState} and {@link PumpState} and throw {@link IllegalStateException} naming the
 * state for any other. Each call is legal in the states below; elsewhere it throws. "Ignored" is a
 * race the stream expects (a broker thread offering to a stream that is being closed), not an error.
 *
 * <pre>
 * call         NEW       OPENING      CATCHING_UP    LIVE          DRAINING    CLOSING   CLOSED
 * start        OPENING   -            -              -             -           ignored   ignored
 * open         -         CATCHING_UP  -              -             -           ignored   ignored
 *                        or LIVE
 * offer        -         hold         hold           queue         ignored     ignored   ignored
 * offerGap     -         ignored(1)   ignored(1)     queue         ignored     ignored   ignored
 * heartbeat    -         nothing      stall check    stall check,  ignored     ignored   ignored
 *                                                    heartbeat
 * shutdown     CLOSING   CLOSING      DRAINING       DRAINING      ignored     ignored   ignored
 * pageRead     -         -            queue, maybe   -             ignored     ignored   ignored
 *                                     LIVE
 * close        CLOSED    CLOSED       CLOSED         CLOSED        CLOSED      CLOSED    ignored
 * (1) a stream that is not live reads history itself, which reports any gap.
 * </pre>
 *
 * <p>Producers (the broker's fan-out thread, the ticker, shutdown) never write and never block:
 * they queue and, if the pump is {@link PumpState#IDLE}, the producer that finds it so hands a pump
 * run to the pump executor. A close decided by a producer moves the stream to
 * {@link StreamState#CLOSING} and runs on the pump executor.
 *
 * <p>Locking: every field marked "guarded" is read and written under {@code this}. Decisions are
 * made under the lock and acted on after it (write, register, complete, executor hand-off).
 * Container calls made under the lock ({@code isReady}) never call back into the stream.
 *
 * <p>A closed stream ends for good: it leaves the hub (even if it closed while registering), its
 * queue is released, its permit returned (the {@link #whenClosed} actions), all exactly once.
 *
 * <p>Why one class of this size (about 360 lines of code, the rest documentation): it is the
 * one place where the stream's state changes, under one lock, and every call in the table above
 * is a decision on that state; splitting the calls over classes would spread the lock and the
 * moves again. What has state of its own is apart: the queue, the event order and the held
 * events, the pump, the output.
 */
public final class SseStream implements Subscriber {

    private final StreamOutput output;
    private final List<String> topics;
    private final WireFormat format;
    private final Selector selector;
    private final StreamHost host;
    private final WritePump pump;

    // guarded by this
    private StreamState state = StreamState.NEW;
    private PumpState pumpState = PumpState.WAITING;
    private final FrameQueue queue;
    private final EventOrder order;
    /** Set by the pump at each write, cleared by each heartbeat tick: the stall check. */
    private boolean wroteSinceTick;
    /** Run once when the stream closes (release the permit, cancel a token-expiry timer). */
    private List<Runnable> onClose = new ArrayList<>(2);

    /**
     * A stream on {@code output}, which it listens to for its client leaving; its pump runs with the
     * pumps of {@code group} (the other streams of its HTTP/2 connection), or alone if that is null.
     */
    SseStream(StreamOutput output, Subscription subscription,
              int queueMaxBytes, SlowConsumerPolicy policy, StreamHost host, PumpGroup group) {
        this.output = Objects.requireNonNull(output, "output");
        this.topics = subscription.topics();
        this.format = subscription.format();
        this.selector = subscription.selector();
        this.host = Objects.requireNonNull(host, "host");
        this.queue = new FrameQueue(queueMaxBytes, Objects.requireNonNull(policy, "policy"), host.queueTally());
        this.order = new EventOrder(queue, format, subscription.resuming());
        this.pump = new WritePump(this, output, host, group);
        // The output may say so on a selector thread: the close runs on the pump executor.
        output.whenGone(() -> host.execute(() -> close(CloseReason.CLIENT_GONE)));
    }

    @Override
    public List<String> topics() {
        return topics;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    /** The pumps of its HTTP/2 connection, or null for a stream with a connection of its own. */
    @Override
    public Object fanOutGroup() {
        return pump.group();
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
     * NEW to OPENING: joins the hub, so live events start to be held for this stream. The future
     * completes when the broker delivers every topic live; only then may the replay be read. A
     * stream closed (or closing) before it started is not registered: the future fails.
     */
    public CompletableFuture<Void> start() {
        synchronized (this) {
            if (state == StreamState.CLOSING || state == StreamState.CLOSED) {
                return CompletableFuture.failedFuture(new IllegalStateException("closed before it started"));
            }
            moveTo(StreamState.OPENING, "start()");
            order.startHolding();
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
     * @param resumeFrom the client's Last-Event-ID, or null for a new stream
     * @param firstPage  the history after {@code resumeFrom} (its first page), or null for a new stream
     */
    public void open(ControlFrame preamble, EventId resumeFrom, Replay firstPage) {
        int replayed;
        synchronized (this) {
            if (state == StreamState.CLOSING || state == StreamState.CLOSED) {
                return;
            }
            if (state != StreamState.OPENING) {
                throw illegal("open()");
            }
            queue.add(preamble);
            replayed = order.openWith(resumeFrom, firstPage);
            // The first tick may come at once: a stall is only judged over a whole interval.
            wroteSinceTick = true;
            // (Only a resuming stream can have overflowed here: offer() closes a new one at once.)
            if (order.firstPageDone(firstPage != null && firstPage.more())) {
                goLive();
            } else {
                moveTo(StreamState.CATCHING_UP, "open()");
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
        boolean slow;
        int dropped = 0;
        synchronized (this) {
            switch (state) {
                case OPENING, CATCHING_UP -> slow = !order.hold(event);
                case LIVE -> {
                    if (order.isDuplicate(event)) {
                        return; // replayed already
                    }
                    dropped = order.offerLive(event);
                    slow = dropped < 0;
                    wake = !slow && claimIdlePump();
                }
                case DRAINING, CLOSING, CLOSED -> {
                    return;
                }
                default -> throw illegal("offer()");
            }
            if (slow) {
                moveTo(StreamState.CLOSING, "offer()");
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
            pump.wake();
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
            if (state == StreamState.NEW) {
                throw illegal("offerGap()");
            }
            if (state != StreamState.LIVE) {
                return;
            }
            queue.add(ControlFrames.liveGap(reason, restart, format));
            wake = claimIdlePump();
        }
        if (wake) {
            pump.wake();
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
            switch (state) {
                case NEW -> throw illegal("heartbeat()");
                case CATCHING_UP, LIVE -> {
                    boolean behind = state == StreamState.CATCHING_UP || queue.bytes() > queue.maxBytes() / 2;
                    // WAITING: a write is in flight that the client has not taken for a whole interval.
                    if (behind && pumpState == PumpState.WAITING && !wroteSinceTick) {
                        moveTo(StreamState.CLOSING, "heartbeat()");
                        stalled = true;
                    } else if (queue.isEmpty() && state == StreamState.LIVE) {
                        queue.add(ControlFrames.heartbeat());
                        wake = claimIdlePump();
                    }
                    wroteSinceTick = false;
                }
                default -> {
                    return; // OPENING: nothing written yet to judge; ending: nothing more to say
                }
            }
        }
        if (stalled) {
            host.execute(() -> close(CloseReason.SLOW_CONSUMER));
        } else if (wake) {
            pump.wake();
        }
    }

    /**
     * Queues the {@code server-shutdown} event, which carries the jittered {@code retry:} (DRAINING):
     * when the pump reaches it, the stream closes and the event goes out with the response's end. A
     * stream not opened yet closes at once.
     */
    public void shutdown(ControlFrame shutdownFrame) {
        boolean wake = false;
        boolean closeNow = false;
        synchronized (this) {
            switch (state) {
                case NEW, OPENING -> {
                    moveTo(StreamState.CLOSING, "shutdown()");
                    closeNow = true;
                }
                case CATCHING_UP, LIVE -> {
                    queue.add(shutdownFrame);
                    order.release();
                    moveTo(StreamState.DRAINING, "shutdown()");
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
            pump.wake();
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
     * Ends the stream for {@code reason}: leaves the hub, releases the queue, runs the close actions
     * (permit) and completes the response. Only the first call acts.
     * A stream closed before it was opened answers with a jittered {@code retry:}, never an empty body.
     */
    public void close(CloseReason reason) {
        close(reason, null);
    }

    /** As {@link #close(CloseReason)}, the response ending with {@code last} (the pump's, for a drained stream). */
    void close(CloseReason reason, ByteBuffer last) {
        StreamState was;
        List<Runnable> actions;
        synchronized (this) {
            if (state == StreamState.CLOSED) {
                return;
            }
            was = state;
            moveTo(StreamState.CLOSED, "close()");
            queue.clear();
            order.release();
            actions = onClose;
            onClose = List.of();
        }
        if (was != StreamState.NEW) {
            host.unregister(this);
        }
        host.closed(this, reason);
        for (Runnable action : actions) {
            action.run();
        }
        boolean unopened = was == StreamState.NEW || was == StreamState.OPENING;
        output.complete(unopened ? ByteBuffer.wrap(host.closedBeforeOpen(reason).frame()) : last);
    }

    @Override
    public synchronized String toString() {
        return "SseStream{" + state + (state.isPumping() ? "/" + pumpState : "") + ", topics=" + topics
            + ", queued=" + queue.size() + "/" + queue.bytes() + "B, " + order + "}";
    }

    // ---- the pump's side; each call is made by the thread that owns the pump ----

    /** WAITING to PUMPING on the container's callback; false if the stream is no longer writing. */
    synchronized boolean writePossible() {
        if (state == StreamState.NEW || state == StreamState.OPENING) {
            throw illegal("onWritePossible()");
        }
        if (!state.isPumping()) {
            return false;
        }
        if (pumpState != PumpState.WAITING) {
            throw new IllegalStateException("onWritePossible() with the pump " + pumpState + ": " + this);
        }
        movePump(PumpState.PUMPING, "onWritePossible()");
        return true;
    }

    /**
     * The pump's next step. Moves the pump to WAITING when the output is busy and to IDLE when
     * nothing is left; a drained DRAINING stream moves to CLOSING and the pump finishes it.
     *
     * @param flushPending the writer left its last write unflushed
     */
    synchronized WritePump.Step next(boolean flushPending) {
        if (!state.isPumping() || pumpState != PumpState.PUMPING) {
            return WritePump.Step.STOP;
        }
        if (!flushPending && !queue.hasFrames() && state == StreamState.LIVE) {
            // Nothing to do: idle without asking isReady(), so the container owes no callback for
            // a write still in flight (under a write batch the last one always is). The next wake
            // asks before it writes.
            movePump(PumpState.IDLE, "next()");
            return WritePump.Step.STOP;
        }
        if (!output.isReady()) {
            movePump(PumpState.WAITING, "next()");
            return WritePump.Step.STOP;
        }
        if (flushPending) {
            return WritePump.Step.FLUSH;
        }
        if (queue.hasFrames() || state == StreamState.DRAINING) {
            long oldest = queue.oldestPublishedAt();
            boolean dropGap = queue.gapPending();
            ByteBuffer chunk = queue.drain(); // null if nothing waits
            if (state != StreamState.DRAINING) {
                return WritePump.Step.write(chunk, oldest, dropGap);
            }
            // Nothing is queued after DRAINING (offers are ignored now): what waits, server-shutdown
            // included, goes out with the end.
            moveTo(StreamState.CLOSING, "next()");
            return WritePump.Step.finish(chunk, oldest, dropGap);
        }
        if (state == StreamState.CATCHING_UP) {
            return WritePump.Step.FETCH_PAGE;
        }
        movePump(PumpState.IDLE, "next()");
        return WritePump.Step.STOP;
    }

    synchronized void wrote() {
        wroteSinceTick = true;
    }

    /** The id the next replay page starts after. */
    synchronized EventId pageAfter() {
        return order.pageAfter();
    }

    /** Bytes the next replay page may hold: what the queue has room for. */
    synchronized int pageBudget() {
        return order.pageBudget();
    }

    /**
     * Queues a replay page. After the last page, live events held meanwhile are merged behind it
     * (LIVE), unless some were discarded: then the stream pages on, since they are in history.
     */
    void pageRead(Replay page) {
        int replayed;
        synchronized (this) {
            if (state.isEnding()) {
                return;
            }
            if (state != StreamState.CATCHING_UP) {
                throw illegal("pageRead()");
            }
            replayed = order.queuePage(page);
            if (order.pageDone(page.more())) {
                goLive();
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

    // ---- the machine; all called under the lock ----

    private void goLive() {
        order.goLive();
        moveTo(StreamState.LIVE, "goLive()");
    }

    /** The one place the stream's state changes: only along {@link StreamState}'s diagram. */
    private void moveTo(StreamState next, String call) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(call + ": no move from " + state + " to " + next + " in " + this);
        }
        state = next;
    }

    /** The one place the pump's state changes: only along {@link PumpState}'s diagram. */
    private void movePump(PumpState next, String call) {
        if (!pumpState.canMoveTo(next)) {
            throw new IllegalStateException(call + ": no pump move from " + pumpState + " to " + next + " in " + this);
        }
        pumpState = next;
    }

    private IllegalStateException illegal(String call) {
        return new IllegalStateException(call + " is not allowed in state " + state + ": " + this);
    }

    private boolean claimIdlePump() {
        if (pumpState == PumpState.IDLE) {
            // This producer found the pump idle: it, and only it, starts the next run.
            movePump(PumpState.PUMPING, "wake");
            return true;
        }
        return false;
    }
}
