package io.ssegateway.stream;

/** What streams and their admission report as it happens (metrics observe it); must not block. */
public interface StreamObserver {
    /** A stream request was refused; {@code reason} is the metric label. */
    void requestRejected(String reason);

    /** A stream was opened (its first frames queued). */
    void streamOpened();

    /** A stream ended for {@code reason} (a {@link CloseReason} wire name). */
    void streamClosed(String reason);

    /** {@code bytes} were handed to the container; the oldest event in them was published then (0: none). */
    void written(int bytes, long oldestPublishedAtMillis);

    /** {@code events} were queued from history. */
    void eventsReplayed(int events);

    /** {@code frames} were dropped under the drop-oldest policy. */
    void framesDropped(int frames);

    /** A gap event with {@code reason} was queued. */
    void gapSignalled(String reason);
}
