package io.ssegateway.stream;

import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.EventId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a stream needs from the node that holds it: the hub to join and leave, history to page
 * through, a thread to run its pump on, somewhere to report what it did. Implemented by {@link StreamNode}.
 */
public interface StreamHost {
    /** Runs a pump (or a close) on the pump executor; never on the caller's thread. */
    void execute(Runnable task);

    /**
     * Adds the stream to the hub; the future completes when the broker delivers all its topics
     * live. Called once, by the stream, on its way from NEW to OPENING.
     */
    CompletableFuture<Void> register(SseStream stream);

    /** Removes the stream from the hub; idempotent. Called by the stream when it closes. */
    void unregister(SseStream stream);

    /**
     * One page of {@code stream}'s history after {@code after} (see {@code Broker.replay}): the
     * events of its topics, only those its {@link io.ssegateway.hub.Selector} wants if it has one.
     */
    Replay replay(SseStream stream, EventId after, int maxBytes) throws BrokerUnavailableException;

    /** The body for a stream that closes before it was opened: a jittered {@code retry:} and why. */
    ControlFrame closedBeforeOpen(CloseReason reason);

    /** The bytes waiting in all the node's stream queues, which each queue adds its changes to. */
    LongAdder queueTally();

    /** A chunk of {@code bytes} was handed to the container; its oldest event was published then. */
    void written(int bytes, long oldestPublishedAtMillis);

    /** {@code events} were queued from history. */
    void replayed(int events);

    /** Frames were dropped under the drop-oldest policy. */
    void dropped(int frames);

    /** A gap event was queued; {@code reason} is its wire name. */
    void gapSignalled(String reason);

    /** The stream closed; count it. Called once, after it left the hub. */
    void closed(SseStream stream, CloseReason reason);
}
