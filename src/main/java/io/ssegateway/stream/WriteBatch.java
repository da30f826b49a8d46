package io.ssegateway.stream;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Socket writes that a container holds back while one thread runs the pumps of the streams of one
 * HTTP/2 connection ({@link PumpGroup}), made when that run ends. The streams share the
 * connection's socket: the first write of the run is held, so the connection's frame flusher counts
 * as busy and queues the DATA frames of every other stream written in the run behind it; when the
 * batch closes they leave together. A broadcast so reaches a connection's 1,000 streams in a couple
 * of system calls instead of 1,000, and the client wakes once instead of 1,000 times.
 *
 * <p>Only a {@link PumpGroup} run opens a batch, and a pump run never blocks, so a held write waits
 * at most for one run of one connection's pumps. A container that never calls {@link #hold} (the
 * WAR in Jetty or Tomcat) writes as before.
 */
public final class WriteBatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WriteBatch.class.getName());
    private static final ThreadLocal<WriteBatch> OPEN = new ThreadLocal<>();

    /** Held writes, made in order when the batch closes. Touched only by the thread that opened it. */
    private final List<Runnable> held = new ArrayList<>(2);

    private WriteBatch() {
    }

    /**
     * Holds {@code write} (a container's socket write, which must not block) until the batch open
     * on this thread closes.
     *
     * @return false, and nothing is held, if no batch is open on this thread: write now
     */
    public static boolean hold(Runnable write) {
        WriteBatch batch = OPEN.get();
        if (batch == null) {
            return false;
        }
        batch.held.add(write);
        return true;
    }

    /** Opens a batch on the calling thread, which must have none open. */
    static WriteBatch open() {
        if (OPEN.get() != null) {
            throw new IllegalStateException("a write batch is open on this thread already");
        }
        WriteBatch batch = new WriteBatch();
        OPEN.set(batch);
        return batch;
    }

    /**
     * Makes the held writes, in order, with the batch no longer open: what they set off (the
     * flusher writing the frames queued behind them) writes at once.
     */
    @Override
    public void close() {
        OPEN.remove();
        for (Runnable write : held) {
            try {
                write.run();
            } catch (RuntimeException e) {
                // The container fails that connection's callbacks itself; the other writes go on.
                LOG.log(Level.DEBUG, "held write failed", e);
            }
        }
        held.clear();
    }
}
