package io.ssegateway.broker.nats;

/**
 * The epoch of the stream as this node last read it (null before the first read). Written by the
 * subscriber's watch, read by publish and replay.
 */
final class StreamEpoch {
    private volatile String current;

    String current() {
        return current;
    }

    /** Records the epoch just read. */
    void update(String epoch) {
        current = epoch;
    }
}
