package io.ssegateway.stream;

/** Why a stream ended; {@link #wireName()} is the metric label and the logged reason. */
public enum CloseReason {
    /** The client closed the connection or a write to it failed. */
    CLIENT_GONE("client-gone"),
    /** The stream's queue was full under the {@code close} policy. */
    SLOW_CONSUMER("slow-consumer"),
    /** The gateway is shutting down. */
    SHUTDOWN("shutdown"),
    /** The stream's credentials expired. */
    TOKEN_EXPIRED("token-expired"),
    /** The broker could not serve the stream's replay. */
    BROKER_UNAVAILABLE("broker-unavailable");

    private final String wireName;

    CloseReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
