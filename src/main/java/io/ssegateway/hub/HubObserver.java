package io.ssegateway.hub;

/** What the hub reports as it happens (metrics observe it); called on the broker's thread, must not block. */
public interface HubObserver {
    /** An event was offered to {@code streams} local streams. */
    void framesDelivered(int streams);

    /** A live {@code gap} event with {@code reason} was offered to streams. */
    void gapSignalled(String reason);
}
