package io.ssegateway.broker;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Where events are stored and how they travel: assigns ids, keeps bounded per-topic history and
 * delivers each event of a subscribed topic to the node's {@link EventSink}, in id order.
 *
 * <p>Implementations: {@link LocalBroker} (one process, in memory) and the Redis broker (many
 * nodes). Contract shared by both:
 * <ul>
 *   <li>{@link #publish} returns only once the event is in history (durable in the broker).</li>
 *   <li>Delivery to the sink happens on the broker's own thread(s), one event at a time, in id
 *       order; the sink must not block.</li>
 *   <li>After the future of {@link #subscribe} completes, every event of that topic published
 *       later reaches the sink, and every event published earlier is in {@link #replay}.</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** Starts delivery to {@code sink}; called once, before any subscribe. */
    void start(EventSink sink);

    /**
     * Assigns the next id, encodes the frame once, stores it in the topic's history and hands it
     * to every node that subscribes to the topic.
     *
     * @param type           SSE event type, or null for the default
     * @param idempotencyKey null, or the publisher's key for this event: while the topic's history
     *                       window lasts, a publish with a key already used for the topic stores
     *                       nothing and returns the event first published with it
     * @throws BrokerUnavailableException if the event could not be stored, or the outcome is unknown
     *                                    ({@link BrokerUnavailableException#maybeStored()})
     */
    Event publish(String topic, String type, String data, String idempotencyKey) throws BrokerUnavailableException;

    /**
     * One page of the events of {@code topics} after {@code after}, in id order, at most
     * {@code maxBytes} of frames (but at least one event if any is retained), and whether anything
     * between {@code after} and the first of them is no longer known (see {@link Replay}). A stream
     * reads a long history page by page as its client consumes it, so a replay never holds more
     * than the stream's queue bound.
     */
    Replay replay(Collection<String> topics, EventId after, int maxBytes) throws BrokerUnavailableException;

    /**
     * Starts delivery of {@code topic}'s events. The hub calls it when the first local stream wants
     * the topic; the future completes when live delivery is in place. Must not block: the hub calls
     * it while it holds the topic's entry.
     */
    CompletableFuture<Void> subscribe(String topic);

    /**
     * Stops delivery of {@code topic}'s events; the hub calls it when the last local stream leaves.
     * Must not block, like {@link #subscribe}.
     */
    void unsubscribe(String topic);

    /** Periodic upkeep (about once a minute), such as forgetting expired history. */
    default void housekeeping() {
    }

    /** Entries shared between the nodes of this broker, or null if it has no way to share them. */
    default Presence presence() {
        return null;
    }

    /** True while the broker can store and deliver events; readiness reports it. */
    boolean isAvailable();

    /** Stops delivery and releases connections and threads. Idempotent. */
    @Override
    void close();
}
