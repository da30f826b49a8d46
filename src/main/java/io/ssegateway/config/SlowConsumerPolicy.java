package io.ssegateway.config;

/** What a stream does when a frame does not fit in its bounded queue. */
public enum SlowConsumerPolicy {
    /**
     * Close the stream. The client's automatic reconnect sends {@code Last-Event-ID} and history
     * fills what it missed, so nothing is lost and the server's memory stays bounded.
     */
    CLOSE("close"),
    /**
     * Drop the oldest queued frames until the new one fits, and send a {@code gap} event before
     * the next frame so that the loss is never silent.
     */
    DROP_OLDEST("drop-oldest");

    private final String configName;

    SlowConsumerPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }
}
