package io.ssegateway.broker.nats;

/**
 * The epoch that publishes name their ids with: the stream's, as the watch last read it, or null
 * while it is not known (before the first read, and from the moment a publisher sees signs that
 * the stream is gone or was recreated until the watch reads it again). Publishing answers 503
 * while it is null, so an id never pairs a new stream's sequence with the old stream's epoch.
 */
final class StreamEpoch {
    private volatile String current;

    String current() {
        return current;
    }

    /** Records the epoch just read from the stream. */
    void update(String epoch) {
        current = epoch;
    }

    /** The stream may have changed under the publisher: unknown until the watch reads it again. */
    void invalidate() {
        current = null;
    }
}
