package io.ssegateway.stream;

import io.ssegateway.broker.Replay;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.WireFormat;

/**
 * What one stream queues, in id order and each event once: its replay page by page, then the live
 * events held while it caught up, then live events as they come. Owns the stream's cursor (the
 * last id queued, which every duplicate check and every page read starts from) and the
 * {@link OpeningBuffer} that exists while the stream is not live.
 *
 * <p>Not thread-safe: {@link SseStream} calls it under its lock and makes the state moves its
 * answers call for.
 */
final class EventOrder {
    private final FrameQueue queue;
    private final WireFormat format;
    /** True if the stream resumes from an id: held events that overflow can be re-read from history. */
    private final boolean resuming;
    /** Highest event id queued; later offers of an id at or below it (same epoch) are duplicates. */
    private EventId lastQueued;
    /** Live events held while the stream opens or catches up; null once it is live or closed. */
    private OpeningBuffer held;

    EventOrder(FrameQueue queue, WireFormat format, boolean resuming) {
        this.queue = queue;
        this.format = format;
        this.resuming = resuming;
    }

    /** The stream joined the hub: live events are held from now until {@link #goLive}. */
    void startHolding() {
        held = new OpeningBuffer(queue.maxBytes());
    }

    /**
     * Holds a live event that came before the replay was written. False if holding lost events the
     * stream cannot read again: a stream that does not resume has no id to page from, so it must close.
     */
    boolean hold(Event event) {
        held.hold(event);
        return resuming || !held.overflowed();
    }

    /**
     * Starts the stream's queue after the client's Last-Event-ID ({@code resumeFrom}, null for a new
     * stream) with the replay's first page, if it has one. Returns how many events were queued.
     */
    int openWith(EventId resumeFrom, Replay firstPage) {
        lastQueued = resumeFrom;
        return firstPage == null ? 0 : queuePage(firstPage);
    }

    /**
     * Queues a replay page after the last queued id: its gap event (naming that id), then its events
     * that are not duplicates. Returns how many events were queued.
     */
    int queuePage(Replay page) {
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
        if (through != null && !atOrBeforeLastQueued(through)) {
            lastQueued = through;
        }
        return queued;
    }

    /**
     * After the first page was queued at open: true if the replay is done and nothing held was
     * discarded, so the stream may {@link #goLive}. Otherwise the stream pages on, and what is
     * held is let go: it is in history, which the next pages read.
     */
    boolean firstPageDone(boolean more) {
        if (more || held.overflowed()) {
            held.reset();
            return false;
        }
        return true;
    }

    /**
     * After a further page was queued: true if it was the last and nothing held was discarded, so
     * the stream may {@link #goLive}. Held events wait for the last page; if some were discarded,
     * the stream pages on from history for them.
     */
    boolean pageDone(boolean more) {
        if (more) {
            return false;
        }
        if (held.overflowed()) {
            held.reset();
            return false;
        }
        return true;
    }

    /** Merges the held live events behind what is queued; from now on events are queued as they come. */
    void goLive() {
        for (Event e : held.events()) {
            if (!isDuplicate(e)) {
                lastQueued = e.id();
                queue.add(e.in(format));
            }
        }
        held = null;
    }

    /**
     * Queues a live event that is not a {@link #isDuplicate duplicate}. Returns what
     * {@link FrameQueue#offer} returns: frames dropped, or -1 if the queue is full and the policy
     * closes the stream.
     */
    int offerLive(Event event) {
        int dropped = queue.offer(event.in(format));
        if (dropped >= 0) {
            lastQueued = event.id();
        }
        return dropped;
    }

    /** The id the next replay page starts after. */
    EventId pageAfter() {
        return lastQueued;
    }

    /** Bytes the next replay page may hold: what the queue has room for. */
    int pageBudget() {
        return Math.max(1, queue.maxBytes() - queue.bytes());
    }

    /** The stream closed: lets go of what is held. */
    void release() {
        held = null;
    }

    @Override
    public String toString() {
        return "lastQueued=" + lastQueued;
    }

    /** True if {@code e} is at or below the last id queued in its epoch: already on its way. */
    boolean isDuplicate(Event e) {
        return atOrBeforeLastQueued(e.id());
    }

    private boolean atOrBeforeLastQueued(EventId id) {
        return lastQueued != null && lastQueued.epoch().equals(id.epoch()) && id.seq() <= lastQueued.seq();
    }
}
