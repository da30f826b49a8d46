package io.ssegateway.broker;

/** The broker cannot store or read events right now; callers answer 503 and the client retries. */
public final class BrokerUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BrokerUnavailableException(String message) {
        super(message);
    }
}
