package io.ssegateway.mercure;

import io.ssegateway.auth.AccessPolicy;
import io.ssegateway.auth.AccessTokenVerifier;
import io.ssegateway.broker.Broker;
import io.ssegateway.config.AuthSettings;
import io.ssegateway.config.MercureSettings;
import io.ssegateway.hub.Router;
import io.ssegateway.hub.Subscriber;
import io.ssegateway.stream.Admission;
import io.ssegateway.stream.StreamNode;
import java.net.URI;
import java.util.function.BooleanSupplier;

/**
 * The Mercure protocol as a second door onto a node's hub, broker and streams: the router of the
 * Mercure log topic for the hub, and the servlets of {@code /.well-known/mercure} and its protected
 * resource metadata. One per node; what it shares between them (the recently seen ids, the token
 * verifier) lives here.
 */
public final class MercureDoor {
    /** Publisher-chosen ids remembered per node for resumes without a search. */
    private static final int RECENT_IDS = 10_000;

    private final MercureSettings settings;
    private final URI hubUrl;
    private final RecentIds recent = new RecentIds(RECENT_IDS);
    private final MercureAuth auth;
    private final Challenges challenges;

    public MercureDoor(MercureSettings settings, AuthSettings authSettings) {
        this.settings = settings;
        this.hubUrl = settings.hubUrl();
        this.auth = new MercureAuth(AccessTokenVerifier.fromConfig(authSettings, hubUrl.toString(), settings.issuers()),
            settings.cookie(), hubUrl, settings.legacy());
        this.challenges = new Challenges(hubUrl);
    }

    /** A router for the hub's Mercure log topic. */
    public <S extends Subscriber> Router<S> newRouter() {
        return new MercureRouter<>(hubUrl, recent);
    }

    /**
     * The servlet of {@code /.well-known/mercure}.
     *
     * @param nativeAccess the native door's policy: native-private topics are not bridged to Mercure subscribers
     * @param maxMatchers  most topic matchers per subscription, and topics per publication
     */
    public MercureServlet servlet(Admission admission, StreamNode node, Broker broker, AccessPolicy nativeAccess,
                                  BooleanSupplier draining, int maxBodyBytes, int maxMatchers) {
        return new MercureServlet(
            new MercureSubscriptions(admission, node, auth, challenges, new Reconciliation(broker, recent), nativeAccess,
                hubUrl, maxMatchers, settings.legacy()),
            new MercurePublications(broker, auth, challenges, recent, draining, hubUrl, maxBodyBytes, maxMatchers));
    }

    /** The servlet of the protected resource metadata ({@link ProtectedResourceMetadata#PATH}). */
    public ProtectedResourceMetadata metadata() {
        return new ProtectedResourceMetadata(hubUrl, settings.cookie());
    }
}
