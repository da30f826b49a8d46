package io.ssegateway.broker;

import io.ssegateway.event.EventId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Replays that ask the same question (same topics, same last id, same page budget) share history
 * reads. After a node restarts, every stream that was on it comes back with the same
 * {@code Last-Event-ID}: a million resumes would otherwise be a million reads from Redis or NATS,
 * one round trip each through a small connection pool, on the few request threads.
 *
 * <p>The rule that keeps an opening gap-free: a stream registers with the hub (live events are
 * held for it from then on) before it asks for its replay, so its page must hold every event that
 * was handed out live before it registered. Two ways to share satisfy it:
 * <ul>
 *   <li><b>A read still current.</b> The count of events the hub has handed out
 *       ({@code handedOut}) is taken before each read starts. A caller that reads the same count
 *       (after registering) knows nothing was handed out between that read's start and its
 *       registration: every event stored after the read started reaches it live. It takes the
 *       kept page without reading, or joins the read if it is still running. Any event handed out
 *       on any topic makes every kept page stale; during a restart with publishing paused, one read
 *       serves every stream.</li>
 *   <li><b>A read not started yet.</b> Otherwise (something was handed out since the running read
 *       started) a caller never joins the running read; callers in that case gather in the next
 *       batch for their question, whose first caller reads once the running read is done. At most
 *       one read per question runs at a time.</li>
 * </ul>
 *
 * <p>A page is an immutable value, so every caller gets the same object; a failed read fails every
 * caller of its batch alike and is not kept. At most {@value #KEPT_PAGES} pages are kept.
 */
public final class SharedReplays {
    /** A history read: the broker's replay. */
    @FunctionalInterface
    public interface Read {
        Replay read() throws BrokerUnavailableException;
    }

    /** Pages kept for reuse at most; a page is at most one queue bound of events, shared with the streams. */
    static final int KEPT_PAGES = 256;

    private record Question(List<String> topics, EventId after, int maxBytes) {
    }

    /** A page and the hub's handed-out count taken before its read started. */
    private record Kept(long handedOutBefore, Replay page) {
    }

    /** The callers of one read: the read may start once {@code start} completes. */
    private static final class Batch {
        final CompletableFuture<Void> start = new CompletableFuture<>();
        final CompletableFuture<Replay> page = new CompletableFuture<>();
        /** The hub's handed-out count taken before the read started; -1 until then. Guarded by the monitor. */
        long handedOutBefore = -1;
    }

    /** One question's batches: the one reading, and the one gathering callers behind it (or null). */
    private static final class Slot {
        Batch running;
        Batch next;
    }

    private final LongSupplier handedOut;
    /** Questions with a read running; guarded by this object's monitor. */
    private final Map<Question, Slot> slots = new HashMap<>();
    /** The latest page read per question; read without the monitor, changed under it. */
    private final Map<Question, Kept> kept = new ConcurrentHashMap<>();

    /** @param handedOut the hub's count of events and gap signals handed to streams so far */
    public SharedReplays(LongSupplier handedOut) {
        this.handedOut = handedOut;
    }

    /**
     * The page for {@code topics} after {@code after}, for a caller that has registered with the
     * hub: a kept page still current, or one read by {@code read} (this caller's, or that of a batch
     * of callers with the same question that had not started reading when this caller asked).
     *
     * @throws BrokerUnavailableException as {@code read} throws it, for every caller of the batch
     */
    public Replay replay(Collection<String> topics, EventId after, int maxBytes, Read read) throws BrokerUnavailableException {
        Question question = new Question(List.copyOf(topics), after, maxBytes);
        long handedOutNow = handedOut.getAsLong();
        Kept current = kept.get(question); // without the monitor: in a storm every caller passes here
        if (current != null && current.handedOutBefore() == handedOutNow) {
            return current.page();
        }
        Batch batch;
        boolean reads;
        synchronized (this) {
            if (current != null) {
                kept.remove(question, current);
            }
            Slot slot = slots.computeIfAbsent(question, q -> new Slot());
            if (slot.running == null) {
                batch = new Batch();
                batch.start.complete(null);
                slot.running = batch;
                reads = true;
            } else if (slot.running.handedOutBefore == handedOutNow) {
                batch = slot.running; // nothing handed out since it started: as current as a read of its own
                reads = false;
            } else if (slot.next == null) {
                batch = new Batch();
                slot.next = batch;
                reads = true;
            } else {
                batch = slot.next;
                reads = false;
            }
        }
        if (reads) {
            // Not interruptible: the batch's other callers wait for this caller's read. The running
            // read it waits for is bounded by the broker's own timeouts.
            batch.start.join();
            readFor(question, batch, read);
        }
        return await(batch.page);
    }

    /** Reads for the batch, hands the result to all its callers, and lets the next batch start. */
    private void readFor(Question question, Batch batch, Read read) {
        Batch following;
        try {
            long handedOutBefore;
            synchronized (this) {
                handedOutBefore = handedOut.getAsLong();
                batch.handedOutBefore = handedOutBefore;
            }
            Replay page = read.read();
            synchronized (this) {
                if (kept.size() >= KEPT_PAGES) {
                    kept.clear(); // stale ones, mostly: any event handed out makes every kept page stale
                }
                kept.put(question, new Kept(handedOutBefore, page));
            }
            batch.page.complete(page);
        } catch (BrokerUnavailableException | RuntimeException e) {
            batch.page.completeExceptionally(e);
        } finally {
            synchronized (this) {
                Slot slot = slots.get(question);
                following = slot.next;
                slot.running = following;
                slot.next = null;
                if (following == null) {
                    slots.remove(question);
                }
            }
        }
        if (following != null) {
            following.start.complete(null);
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws BrokerUnavailableException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for a history read", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BrokerUnavailableException unavailable) {
                throw unavailable;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
