package io.ssegateway.mercure;

import io.ssegateway.auth.AuthException;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.event.EventId;
import io.ssegateway.http.JsonResponses;
import io.ssegateway.stream.Admission;
import io.ssegateway.stream.SseStream;
import io.ssegateway.stream.StreamNode;
import io.ssegateway.stream.Subscription;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /.well-known/mercure?match…}: a Mercure subscription, opened as a stream of this node
 * like any other (same admission, capacity, queue, heartbeats, drain). Its stream reads the Mercure
 * log topic (which holds native publications too, copied there) through a {@link MercureSelector};
 * ids are the hub's {@code #<epoch>-<seq>} or the publisher's own.
 *
 * <p>Refusals follow the draft: 400 for malformed parameters, RFC 6750 challenges for tokens; a node
 * that is full, draining or without its broker answers as the native door does (a short stream
 * with {@code retry:} that a browser's EventSource survives).
 */
final class MercureSubscriptions {
    private static final System.Logger LOG = System.getLogger(MercureSubscriptions.class.getName());
    static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
    static final String RESPONSE_CURSOR_HEADER = "Mercure-Last-Event-ID";
    /** Where pre-standard hubs sent the cursor. */
    static final String LEGACY_CURSOR_HEADER = "Last-Event-ID";
    /** A token must keep a stream open at least this long to be accepted, as at the native door. */
    private static final Duration MIN_STREAM_LIFETIME = Duration.ofSeconds(1);

    private final Admission admission;
    private final StreamNode node;
    private final MercureAuth auth;
    private final Challenges challenges;
    private final Reconciliation reconciliation;
    private final URI hubUrl;
    private final int maxMatchers;
    private final boolean legacy;
    private final ActiveSubscriptions active;

    /** @param active where subscriptions are announced, or null when that feature is off */
    MercureSubscriptions(Admission admission, StreamNode node, MercureAuth auth, Challenges challenges,
                         Reconciliation reconciliation, ActiveSubscriptions active, URI hubUrl, int maxMatchers,
                         boolean legacy) {
        this.legacy = legacy;
        this.active = active;
        this.admission = admission;
        this.node = node;
        this.auth = auth;
        this.challenges = challenges;
        this.reconciliation = reconciliation;
        this.hubUrl = hubUrl;
        this.maxMatchers = maxMatchers;
    }

    void subscribe(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        SubscribeRequest request;
        try {
            request = SubscribeRequest.parse(req.getQueryString(), req.getHeader(LAST_EVENT_ID_HEADER), hubUrl, maxMatchers,
                legacy);
        } catch (SubscribeRequest.Invalid e) {
            node.observer().requestRejected("bad-input");
            JsonResponses.error(resp, 400, e.code(), e.getMessage());
            return;
        }
        Grants grants;
        try {
            grants = auth.grants(req);
            if (grants != null && grants.expiresAt() != null
                && grants.expiresAt().isBefore(Instant.now().plus(MIN_STREAM_LIFETIME))) {
                // A stream closed at once would make an EventSource reconnect with this token over and over.
                throw new AuthException(401, "invalid_token", "the token expires within "
                    + MIN_STREAM_LIFETIME.toSeconds() + " s; get a fresh one");
            }
        } catch (AuthException e) {
            node.observer().requestRejected("auth");
            challenges.refuse(resp, e);
            return;
        }
        // Admitted first: a full or draining node refuses without reading the broker.
        Admission.Decision decision = admission.admitAuthorized(req, grants == null ? null : grants.expiresAt());
        if (decision instanceof Admission.Refused refused) {
            node.observer().requestRejected(refused.reason());
            node.refuse(req, resp, refused.reason(), refused.message());
            return;
        }
        Admission.Admitted admitted = (Admission.Admitted) decision;
        String requested = request.lastEventId();
        EventId after = null;
        if (requested != null) {
            try {
                after = reconciliation.resolve(requested);
            } catch (BrokerUnavailableException e) {
                admitted.permit().release();
                LOG.log(Level.WARNING, "Mercure subscription not started, broker unavailable: {0}", e.getMessage());
                node.observer().requestRejected("broker-unavailable");
                node.refuse(req, resp, "broker-unavailable", "the event broker is unavailable; retry shortly");
                return;
            }
        }
        Subscription subscription = new Subscription(List.of(MercureUpdate.LOG_TOPIC), after, MercureFormat.INSTANCE,
            new MercureSelector(request.matchers(), grants, hubUrl));
        SseStream stream = node.launch(req, resp, subscription, admitted, (output, gap) -> {
            // The id asked for if every update after it follows; earliest if some were discarded or it is unknown.
            String cursor = gap == null ? requested : Reconciliation.EARLIEST;
            output.setHeader(RESPONSE_CURSOR_HEADER, cursor);
            if (legacy) {
                output.setHeader(LEGACY_CURSOR_HEADER, cursor);
            }
        });
        if (active != null) {
            active.track(ActiveSubscriptions.newSubscriber(), request.matchers(), grants, stream);
        }
    }
}
