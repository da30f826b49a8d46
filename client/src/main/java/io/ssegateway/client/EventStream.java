package io.ssegateway.client;

/**
 * A running subscription: it reconnects by itself until {@link #close()} or a refusal (see
 * {@link StreamEnd}). Holds no thread of its own.
 */
public interface EventStream extends AutoCloseable {
    /**
     * The id of the last event received (and delivered or about to be delivered to the listener),
     * which the next reconnect sends as {@code Last-Event-ID}; null before the first.
     */
    String lastEventId();

    /** True while a stream is open (not while connecting, waiting to reconnect or closed). */
    boolean isOpen();

    /**
     * Ends the subscription: the connection is closed, events not yet handed to the listener are
     * dropped, and {@link EventListener#onClosed} follows with {@link StreamEnd#closedByApplication()}.
     * Idempotent, and safe from any thread, a callback included.
     */
    @Override
    void close();
}
