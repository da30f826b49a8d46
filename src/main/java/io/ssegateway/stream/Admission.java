package io.ssegateway.stream;

import io.ssegateway.auth.AccessPolicy;
import io.ssegateway.auth.AuthException;
import io.ssegateway.auth.ClientAddress;
import io.ssegateway.auth.StreamsPerClient;
import io.ssegateway.hub.CapacityGate;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Decides whether a stream may open, in one place: authorization, draining, the per-client limit
 * and capacity, in that order. The decision is a value: {@link Admitted} carries a one-shot
 * {@link Permit} that the stream returns when it closes; {@link Refused} says how to answer.
 */
public final class Admission {
    private final AccessPolicy access;
    private final BooleanSupplier draining;
    private final ClientAddress clientAddress;
    private final StreamsPerClient perClient;
    private final CapacityGate capacity;

    public Admission(AccessPolicy access, BooleanSupplier draining, ClientAddress clientAddress,
                     StreamsPerClient perClient, CapacityGate capacity) {
        this.access = access;
        this.draining = draining;
        this.clientAddress = clientAddress;
        this.perClient = perClient;
        this.capacity = capacity;
    }

    /** What admission decided. */
    public sealed interface Decision permits Admitted, Refused {
    }

    /**
     * The stream may open.
     *
     * @param tokenExpiry when the stream must end because its token expires, or null
     */
    public record Admitted(Permit permit, Instant tokenExpiry) implements Decision {
    }

    /**
     * The stream may not open.
     *
     * @param auth   the authorization failure (answered 401/403: retrying will not help), or null
     * @param reason for a failure that passes ({@code draining}, {@code client-limit},
     *               {@code capacity}): the metric label and the answer's reason
     * @param message the answer's text
     */
    public record Refused(AuthException auth, String reason, String message) implements Decision {
    }

    /** Admits or refuses a stream of {@code topics} for {@code req}. */
    public Decision admit(HttpServletRequest req, List<String> topics) {
        Instant tokenExpiry;
        try {
            tokenExpiry = access.checkSubscribe(req, topics);
        } catch (AuthException e) {
            return new Refused(e, "auth", e.getMessage());
        }
        return admitAuthorized(req, tokenExpiry);
    }

    /**
     * Admits or refuses a stream whose authorization another door has decided (Mercure's tokens):
     * draining, the per-client limit and capacity, as for every stream.
     *
     * @param tokenExpiry when the stream must end because its token expires, or null
     */
    public Decision admitAuthorized(HttpServletRequest req, Instant tokenExpiry) {
        if (draining.getAsBoolean()) {
            return new Refused(null, "draining", "this node is shutting down; reconnect to another");
        }
        String client = clientAddress.of(req);
        if (!perClient.tryAcquire(client)) {
            return new Refused(null, "client-limit", "this client address holds its maximum of "
                + perClient.max() + " streams");
        }
        if (!capacity.tryAcquire()) {
            perClient.release(client);
            return new Refused(null, "capacity", "this node holds its maximum of " + capacity.max() + " streams");
        }
        return new Admitted(new Permit(client), tokenExpiry);
    }

    /** A stream's capacity permit and per-client slot; returned once, however often released. */
    public final class Permit {
        private final String client;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String client) {
            this.client = client;
        }

        public void release() {
            // The thread whose compareAndSet succeeds returns the permit; later calls do nothing.
            if (released.compareAndSet(false, true)) {
                capacity.release();
                perClient.release(client);
            }
        }
    }
}
