package io.ssegateway.broker;

/**
 * The broker cannot store or read events right now; callers answer 503 and the client retries.
 * For a publish, {@link #maybeStored()} says whether the event may have been stored all the same
 * (the broker did not answer in time, or stored it without the replicas asked for): a retry must
 * then carry the same idempotency key to be delivered once.
 */
public final class BrokerUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean maybeStored;

    public BrokerUnavailableException(String message, Throwable cause, boolean maybeStored) {
        super(message, cause);
        this.maybeStored = maybeStored;
    }

    public BrokerUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public BrokerUnavailableException(String message) {
        super(message);
        this.maybeStored = false;
    }

    /** True if the outcome is unknown: the event may be stored and delivered. */
    public boolean maybeStored() {
        return maybeStored;
    }
}
