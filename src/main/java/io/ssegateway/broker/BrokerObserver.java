package io.ssegateway.broker;

/** What a broker reports as it happens (metrics observe it); called from the broker's threads, must not block. */
public interface BrokerObserver {
    /** The broker's live connection came up or went down. */
    void brokerConnected(boolean connected);

    /** The broker reconnected after losing its live connection. */
    void brokerReconnected();

}
