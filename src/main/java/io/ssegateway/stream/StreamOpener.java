package io.ssegateway.stream;

import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.EventId;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes an admitted stream from registration to its first byte, without a gap or a duplicate:
 * <ol>
 *   <li>register with the hub, so live events start to be held for the stream;</li>
 *   <li>wait until the broker delivers all its topics live;</li>
 *   <li>take the replay snapshot (only now: anything stored later arrives live);</li>
 *   <li>open the stream with preamble, gap event and the replay's first page (at most the queue
 *       bound); the stream reads further pages as its client consumes them, then merges the held
 *       live events behind them, skipping those the replay already has.</li>
 * </ol>
 * If the broker cannot subscribe or replay, the stream closes before it opened: the client gets
 * the {@link BusyAnswer}'s event (nothing was sent yet) and comes back.
 */
final class StreamOpener {
    private static final System.Logger LOG = System.getLogger(StreamOpener.class.getName());
    private static final long SUBSCRIBE_TIMEOUT_SECONDS = 10;

    private final StreamNode node;

    StreamOpener(StreamNode node) {
        this.node = node;
    }

    /** @param headers told the first page's completeness before anything is written, for a resuming stream */
    void start(StreamOutput output, SseStream stream, EventId lastEventId, ResumeHeaders headers) {
        CompletableFuture<Void> subscribed = stream.start();
        if (stream.state() == StreamState.CLOSED) {
            return; // closed before it could open (shutdown, token expiry): it answered its client itself
        }
        if (subscribed.isDone() && !subscribed.isCompletedExceptionally()) {
            open(output, stream, lastEventId, headers);
            return;
        }
        // Every outcome, a timeout included, is handled inside whenComplete.
        var unused = subscribed.orTimeout(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((ok, failure) ->
            // Back onto a container thread: open() may call the broker and sets the write listener.
            output.execute(() -> {
                if (failure != null) {
                    fail(stream, "could not subscribe: " + failure);
                } else {
                    open(output, stream, lastEventId, headers);
                }
            }));
    }

    private void open(StreamOutput output, SseStream stream, EventId lastEventId, ResumeHeaders headers) {
        Replay firstPage = null;
        if (lastEventId != null) {
            try {
                // The first page fits the queue with the preamble; the stream reads the rest as it writes.
                firstPage = node.replay(stream, lastEventId, node.firstPageBudget());
            } catch (BrokerUnavailableException e) {
                fail(stream, e.getMessage());
                return;
            }
            headers.resumed(output, firstPage.gap());
        }
        node.observer().streamOpened();
        stream.open(node.preamble(), lastEventId, firstPage);
    }

    /** Closes the unopened stream, which answers with a {@code server-busy} event and a jittered {@code retry:}. */
    private void fail(SseStream stream, String why) {
        LOG.log(Level.WARNING, "stream not started, broker unavailable: {0}", why);
        node.observer().requestRejected("broker-unavailable");
        stream.close(CloseReason.BROKER_UNAVAILABLE);
    }
}
