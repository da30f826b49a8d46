package io.ssegateway.publish;

/** What publishing reports as it happens (metrics observe it); must not block. */
public interface PublishObserver {
    /** An event was stored. */
    void eventPublished();

    /** A publish was refused; {@code reason} is the metric label. */
    void requestRejected(String reason);
}
