package io.ssegateway.publish;

import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.event.Event;
import io.ssegateway.http.JsonResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * What a publication is at both doors once it is valid: the {@code Idempotency-Key} rule, and
 * storing the event, then its copy for the other door, with one set of answers when that cannot
 * be done: 503 {@code draining}; 503 {@code broker-unavailable} (not stored); 503
 * {@code broker-outcome-unknown} when it may have been stored, or was stored but its copy was not
 * (a retry with the same key delivers it once, to both doors).
 */
public final class Publication {
    /** The request header that makes a retry safe. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern IDEMPOTENCY_KEY_RULE = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final System.Logger LOG = System.getLogger(Publication.class.getName());

    /** Stores the publication; may find the broker unavailable. */
    @FunctionalInterface
    public interface Store {
        Event store() throws BrokerUnavailableException;
    }

    /** Copies the stored publication for the other door; may find the broker unavailable. */
    @FunctionalInterface
    public interface Copy {
        void copy() throws BrokerUnavailableException;
    }

    /** The request's {@code Idempotency-Key} does not follow the rule. */
    public static final class InvalidKey extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidKey() {
            super(IDEMPOTENCY_KEY + " must be 1-128 visible ASCII characters", null, false, false);
        }

        /** The error code both doors answer 400 with. */
        public String code() {
            return "invalid-idempotency-key";
        }
    }

    private final BooleanSupplier draining;
    private final PublishObserver observer;
    private final String noun;
    private final String otherDoor;

    /**
     * @param noun      what this door publishes ("event", "update"), for the answers
     * @param otherDoor whose subscribers the copy is for ("Mercure", "native")
     */
    public Publication(BooleanSupplier draining, PublishObserver observer, String noun, String otherDoor) {
        this.draining = draining;
        this.observer = observer;
        this.noun = noun;
        this.otherDoor = otherDoor;
    }

    /** The request's {@code Idempotency-Key}, or null if it has none. */
    public static String idempotencyKey(HttpServletRequest req) throws InvalidKey {
        return checkedKey(req.getHeader(IDEMPOTENCY_KEY));
    }

    /** {@code key} if it follows the rule (or is null). */
    static String checkedKey(String key) throws InvalidKey {
        if (key != null && !IDEMPOTENCY_KEY_RULE.matcher(key).matches()) {
            throw new InvalidKey();
        }
        return key;
    }

    /**
     * Why a publication was not stored, or not completely: the 503 both doors answer, for callers
     * without a response to write ({@link DirectPublisher}).
     */
    public static final class NotStored extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        NotStored(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        /** {@code draining}, {@code broker-unavailable} or {@code broker-outcome-unknown}. */
        public String code() {
            return code;
        }
    }

    /**
     * Stores and copies, or answers why not.
     *
     * @return the stored event, or null when {@code resp} was answered with a 503
     */
    public Event store(HttpServletResponse resp, Store store, Copy copy) throws IOException {
        try {
            return storeOrRefuse(store, copy);
        } catch (NotStored e) {
            JsonResponses.unavailable(resp, 1, e.code(), e.getMessage());
            return null;
        }
    }

    /**
     * Stores and copies.
     *
     * @throws NotStored with the code and message of the 503 a door answers
     */
    public Event storeOrRefuse(Store store, Copy copy) throws NotStored {
        if (draining.getAsBoolean()) {
            observer.requestRejected("draining");
            throw new NotStored("draining", "this node is shutting down; publish to another");
        }
        Event event;
        try {
            event = store.store();
        } catch (BrokerUnavailableException e) {
            LOG.log(Level.WARNING, "publish refused, broker unavailable: {0}", e.getMessage());
            observer.requestRejected("broker-unavailable");
            throw new NotStored(e.maybeStored() ? "broker-outcome-unknown" : "broker-unavailable", e.maybeStored()
                ? "the broker did not confirm in time: the " + noun + " may have been stored and may still be delivered. "
                    + "Retry with the same " + IDEMPOTENCY_KEY + " header to have it delivered exactly once: " + e.getMessage()
                : "the " + noun + " was not stored: " + e.getMessage());
        }
        try {
            copy.copy();
        } catch (BrokerUnavailableException e) {
            LOG.log(Level.WARNING, "{0} {1} stored, its copy for {2} subscribers not: {3}", noun, event.id(), otherDoor,
                e.getMessage());
            observer.requestRejected("broker-unavailable");
            throw new NotStored("broker-outcome-unknown", "the " + noun + " was stored as " + event.id()
                + " but its copy for " + otherDoor + " subscribers was not: retry with the same " + IDEMPOTENCY_KEY
                + " header to have it delivered once to both: " + e.getMessage());
        }
        observer.eventPublished();
        return event;
    }
}
