package io.ssegateway.stream;

import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * Writes one stream's queue to its client without ever blocking. It asks its {@link SseStream},
 * under the stream's lock, what to do next ({@link SseStream#next}), and does it after the lock:
 * write a coalesced chunk, flush, read the next replay page, or finish a drained stream. It stops
 * when the stream has nothing to write (IDLE: the next producer wakes it) or when
 * {@code isReady()} is false (WAITING: the container calls {@link #onWritePossible}).
 */
final class WritePump implements WriteListener {
    private static final System.Logger LOG = System.getLogger(WritePump.class.getName());

    /** What the pump does next; decided under the stream's lock. */
    enum Step { STOP, FLUSH, WRITE, FETCH_PAGE, FINISH }

    private final SseStream stream;
    private final ServletOutputStream out;
    private final FrameWriter writer;
    private final StreamHost host;
    /** Touched only by the thread that owns the pump (ownership passes under the stream's lock). */
    private boolean flushPending;
    /** The chunk of a WRITE step: set by the stream under its lock, used by the owner after it. */
    ByteBuffer chunk;
    /** Publish time of the chunk's oldest event, 0 for control frames only. */
    long chunkOldestPublished;

    WritePump(SseStream stream, ServletOutputStream out, FrameWriter writer, StreamHost host) {
        this.stream = stream;
        this.out = out;
        this.writer = writer;
        this.host = host;
    }

    /** Hands the output to this pump; the container then calls {@link #onWritePossible}. */
    void start() {
        out.setWriteListener(this);
    }

    boolean isReady() {
        return out.isReady();
    }

    boolean flushPending() {
        return flushPending;
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

    /** Runs while the stream gives work; only on the thread that moved the pump to PUMPING. */
    void run() {
        for (;;) {
            Step step = stream.next(this);
            try {
                switch (step) {
                    case STOP:
                        return;
                    case FLUSH:
                        flushPending = false;
                        out.flush();
                        break;
                    case WRITE:
                        ByteBuffer c = chunk;
                        chunk = null;
                        int bytes = c.remaining();
                        flushPending = writer.write(out, c);
                        stream.wrote();
                        host.written(bytes, chunkOldestPublished);
                        break;
                    case FETCH_PAGE:
                        fetchPage();
                        break;
                    case FINISH:
                        stream.close(CloseReason.SHUTDOWN);
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
