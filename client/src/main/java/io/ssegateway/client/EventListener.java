package io.ssegateway.client;

/**
 * What a subscription tells the application. All callbacks of one subscription run one at a time,
 * in the order the gateway sent them, on the client's callback executor (never on the HTTP
 * client's threads and never on the caller of {@code subscribe}); different subscriptions' callbacks
 * may run at the same time on different threads. A callback that throws is logged and the stream
 * goes on.
 *
 * <p>A listener that is slower than its stream holds back only its own stream: see
 * {@link Subscription#handOff(int)}.
 */
public interface EventListener {
    /** The event; after it, a reconnect resumes after its id. */
    void onEvent(ServerEvent event);

    /** A stream (the first, or one after a reconnect) is open: what follows is live or resumed. */
    default void onOpen() {
    }

    /** Events were lost before this point, and the gateway says which (see {@link Gap}). */
    default void onGap(Gap gap) {
    }

    /**
     * The stream ended and will be reopened after {@code delayMillis}, resuming after the last
     * event delivered. {@code reason}: {@code server-shutdown} and {@code server-busy} (with the
     * gateway's jittered delay), {@code stream-ended}, {@code connection-failed}, {@code idle} (no
     * byte, not even a heartbeat, for the idle timeout: a connection that died without a FIN),
     * {@code token-expired} (the token source's token had expired: its next one is tried) or
     * {@code http-<status>}.
     */
    default void onReconnecting(long delayMillis, String reason) {
    }

    /** The subscription ended for good; the last callback. */
    default void onClosed(StreamEnd end) {
    }
}
