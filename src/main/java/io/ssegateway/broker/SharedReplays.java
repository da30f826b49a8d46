package io.ssegateway.broker;

import io.ssegateway.event.EventId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Replays that ask the same question (same topics, same last id, same page budget) share one
 * history read. After a node restarts, every stream that was on it comes back with the same
 * {@code Last-Event-ID}: a million resumes would otherwise be a million reads from Redis or NATS,
 * one round trip each through a small connection pool.
 *
 * <p>A read is shared only by callers that asked <em>before it started</em>. That keeps the opening
 * gap-free: a stream registers with the hub (live events are held from then on) before it asks
 * for its replay, so a read that starts after the request began holds everything stored before the
 * stream could receive it live. A read that is already running is therefore never joined; callers
 * that arrive meanwhile gather in the next batch for that question, whose first caller reads once
 * the running read is done. At most one read per question runs at a time.
 *
 * <p>The page is an immutable value, so every caller gets the same object; a failed read fails
 * every caller of its batch alike.
 */
public final class SharedReplays {
    /** A history read: the broker's replay. */
    @FunctionalInterface
    public interface Read {
        Replay read() throws BrokerUnavailableException;
    }

    private record Question(List<String> topics, EventId after, int maxBytes) {
    }

    /** The callers of one read: the read may start once {@code start} completes. */
    private static final class Batch {
        final CompletableFuture<Void> start = new CompletableFuture<>();
        final CompletableFuture<Replay> page = new CompletableFuture<>();
    }

    /** One question's batches: the one reading, and the one gathering callers behind it (or null). */
    private static final class Slot {
        Batch running;
        Batch next;
    }

    /** Questions with a read running; guarded by this object's monitor. */
    private final Map<Question, Slot> slots = new HashMap<>();

    /**
     * The page for {@code topics} after {@code after}, read by {@code read} unless a batch of
     * callers with the same question that has not started reading yet takes this caller along.
     *
     * @throws BrokerUnavailableException as {@code read} throws it, for every caller of the batch
     */
    public Replay replay(Collection<String> topics, EventId after, int maxBytes, Read read) throws BrokerUnavailableException {
        Question question = new Question(List.copyOf(topics), after, maxBytes);
        Batch batch;
        boolean reads;
        synchronized (this) {
            Slot slot = slots.computeIfAbsent(question, q -> new Slot());
            if (slot.running == null) {
                batch = new Batch();
                batch.start.complete(null);
                slot.running = batch;
                reads = true;
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
            batch.page.complete(read.read());
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
