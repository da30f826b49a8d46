package io.ssegateway.stream;

import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.ControlFrames;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * Writes one stream's queue to its client without ever blocking. It asks its {@link SseStream}
 * what to do next ({@link SseStream#next}) and gets a {@link Step} back, decided under the
 * stream's lock; it acts on it after the lock: write a coalesced chunk, flush, read the next replay
 * page, or finish a drained stream. It stops when the stream has nothing to write (IDLE: the next
 * producer wakes it) or when {@code isReady()} is false (WAITING: the output calls
 * {@link #onWritePossible}).
 */
final class WritePump implements StreamOutput.Pump {
    private static final System.Logger LOG = System.getLogger(WritePump.class.getName());

    /**
     * What the pump does next. A {@link Kind#WRITE} step carries the chunk, the publish time of its
     * oldest event (0 for control frames only) and whether it starts with a gap event for frames the
     * drop-oldest policy dropped; a {@link Kind#FINISH} step may carry a drained stream's last chunk,
     * written with the response's end.
     */
    record Step(Kind kind, ByteBuffer chunk, long oldestPublishedAt, boolean dropGap) {
        enum Kind { STOP, FLUSH, WRITE, FETCH_PAGE, FINISH }

        static final Step STOP = new Step(Kind.STOP, null, 0, false);
        static final Step FLUSH = new Step(Kind.FLUSH, null, 0, false);
        static final Step FETCH_PAGE = new Step(Kind.FETCH_PAGE, null, 0, false);

        static Step write(ByteBuffer chunk, long oldestPublishedAt, boolean dropGap) {
            return new Step(Kind.WRITE, chunk, oldestPublishedAt, dropGap);
        }

        /** @param lastChunk what waits, or null if nothing does */
        static Step finish(ByteBuffer lastChunk, long oldestPublishedAt, boolean dropGap) {
            return new Step(Kind.FINISH, lastChunk, oldestPublishedAt, dropGap);
        }
    }

    private final SseStream stream;
    private final StreamOutput output;
    private final StreamHost host;
    /** The pumps of the stream's HTTP/2 connection, run together; null for a stream with a connection of its own. */
    private final PumpGroup group;
    /** True after a write the writer left unflushed. Touched only by the thread that owns the pump. */
    private boolean flushPending;

    WritePump(SseStream stream, StreamOutput output, StreamHost host, PumpGroup group) {
        this.stream = stream;
        this.output = output;
        this.host = host;
        this.group = group;
    }

    /** The pumps it runs with, or null. */
    PumpGroup group() {
        return group;
    }

    /** Hands the output to this pump; the output then calls {@link #onWritePossible}. */
    void start() {
        output.start(this);
    }

    @Override
    public void onWritePossible() {
        if (stream.writePossible()) {
            run();
        }
    }

    @Override
    public void onError(Throwable t) {
        LOG.log(Level.DEBUG, () -> "write failed asynchronously, closing " + stream, t);
        stream.close(CloseReason.CLIENT_GONE);
    }

    /**
     * Runs the pump on the pump executor, after a producer moved it from IDLE to PUMPING: with the
     * other woken pumps of its HTTP/2 connection if it has a group, else alone.
     */
    void wake() {
        if (group != null) {
            group.wake(this);
        } else {
            host.execute(this::run);
        }
    }

    /** Runs while the stream gives work; only on the thread that moved the pump to PUMPING. */
    void run() {
        for (;;) {
            Step step = stream.next(flushPending);
            try {
                switch (step.kind()) {
                    case STOP:
                        return;
                    case FLUSH:
                        flushPending = false;
                        output.flush();
                        break;
                    case WRITE:
                        write(step);
                        break;
                    case FETCH_PAGE:
                        fetchPage();
                        break;
                    case FINISH:
                        finish(step);
                        return;
                    default:
                        throw new IllegalStateException("step " + step);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "write failed, closing " + stream, e);
                stream.close(CloseReason.CLIENT_GONE);
                return;
            }
        }
    }

    private void write(Step step) throws IOException {
        int bytes = reportChunk(step);
        flushPending = output.write(step.chunk());
        stream.wrote();
        host.written(bytes, step.oldestPublishedAt());
    }

    /** Ends a drained stream: its last chunk, if any, goes out with the response's end. */
    private void finish(Step step) {
        if (step.chunk() != null) {
            host.written(reportChunk(step), step.oldestPublishedAt());
        }
        stream.close(CloseReason.SHUTDOWN, step.chunk());
    }

    /** The chunk's size; reports the gap event it starts with, if any. */
    private int reportChunk(Step step) {
        if (step.dropGap()) {
            host.gapSignalled(ControlFrames.DROPPED);
        }
        return step.chunk().remaining();
    }

    private void fetchPage() {
        Replay page;
        try {
            page = host.replay(stream, stream.pageAfter(), stream.pageBudget());
        } catch (BrokerUnavailableException e) {
            LOG.log(Level.WARNING, "replay page not read, closing {0}: {1}", stream, e.getMessage());
            stream.close(CloseReason.BROKER_UNAVAILABLE);
            return;
        }
        stream.pageRead(page);
    }
}
