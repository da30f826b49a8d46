package io.ssegateway.mercure;

import io.ssegateway.auth.AccessTokenVerifier;
import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.concurrent.DaemonThreads;
import io.ssegateway.config.AuthSettings;
import io.ssegateway.config.MercureSettings;
import io.ssegateway.event.Event;
import io.ssegateway.http.RequestBodies;
import io.ssegateway.hub.Router;
import io.ssegateway.hub.Subscriber;
import io.ssegateway.publish.PublishObserver;
import io.ssegateway.stream.Admission;
import io.ssegateway.stream.StreamNode;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The Mercure protocol as a second door onto a node's hub, broker and streams: the router of the
 * Mercure log topic for the hub, and the servlets of {@code /.well-known/mercure}, its subscription
 * API and its protected resource metadata. One per node; what they share (the ids this node saw,
 * the token verifier, the subscription events' thread) lives here.
 */
public final class MercureDoor implements AutoCloseable {
    /** Publisher-chosen ids remembered per node for resumes without a search. */
    private static final int RECENT_IDS = 10_000;

    private final MercureSettings settings;
    private final Broker broker;
    private final URI hubUrl;
    private final RecentIds recent = new RecentIds(RECENT_IDS);
    private final MercureAuth auth;
    private final Challenges challenges;
    /** Null unless {@code mercure-subscriptions} is on. */
    private final ExecutorService subscriptionEvents;
    private final ActiveSubscriptions active;

    public MercureDoor(MercureSettings settings, AuthSettings authSettings, Broker broker) {
        this.settings = settings;
        this.broker = broker;
        this.hubUrl = settings.hubUrl();
        this.auth = new MercureAuth(AccessTokenVerifier.fromConfig(authSettings, hubUrl.toString(), settings.issuers()),
            settings.cookie(), hubUrl, settings.legacy());
        this.challenges = new Challenges(hubUrl);
        if (settings.subscriptions()) {
            subscriptionEvents = Executors.newSingleThreadExecutor(DaemonThreads.named("mercure-subscriptions"));
            active = new ActiveSubscriptions(broker, broker.presence(), hubUrl, subscriptionEvents);
        } else {
            subscriptionEvents = null;
            active = null;
        }
    }

    /**
     * The router the hub gives {@code topic}: the door's own for its log topic, where streams pick
     * updates by their matchers, and the hub's default broadcast for every other topic.
     */
    public <S extends Subscriber> Router<S> routerFor(String topic) {
        return MercureUpdate.LOG_TOPIC.equals(topic) ? new MercureRouter<>(hubUrl, recent) : new Router.Broadcast<>();
    }

    /**
     * The servlet of {@code /.well-known/mercure}.
     *
     * @param bodies       how publication bodies are read (the native door's, so one ceiling covers both)
     * @param maxMatchers  most topic matchers per subscription, and topics per publication
     * @param publishes    where publications and their refusals are counted (the native door's metrics)
     */
    public HttpServlet servlet(Admission admission, StreamNode node, BooleanSupplier draining, RequestBodies bodies,
                               int maxMatchers, PublishObserver publishes) {
        return new MercureServlet(
            new MercureSubscriptions(admission, node, auth, challenges, new Reconciliation(broker, recent), active, hubUrl,
                maxMatchers, settings.legacy()),
            new MercurePublications(broker, auth, challenges, recent, draining, hubUrl, bodies, maxMatchers,
                publishes));
    }

    /**
     * Copies an event published through the native door into the Mercure log, so Mercure subscribers
     * whose matchers select its topic receive it (private if its topic is native-private).
     */
    public void copyNative(String topic, String type, String data, boolean privateTopic, String idempotencyKey)
        throws BrokerUnavailableException {
        Event event = broker.publish(MercureUpdate.LOG_TOPIC, null,
            new MercureUpdate(List.of(topic), privateTopic, null, type, null, data).toLogData(),
            DoorKeys.forCopy("native", topic, idempotencyKey));
        recent.seen(null, event.id());
    }

    /** The subscription API's servlet (under {@link #subscriptionsPath()}), or null when the feature is off. */
    public HttpServlet subscriptionApi() {
        return active == null ? null : new SubscriptionApi(active, broker.presence(), auth, challenges, recent, hubUrl);
    }

    /** Where the subscription API is served. */
    public String subscriptionsPath() {
        return hubUrl.getPath() + "/subscriptions";
    }

    /** The servlet of the protected resource metadata ({@link ProtectedResourceMetadata#PATH}). */
    public HttpServlet metadata() {
        return new ProtectedResourceMetadata(hubUrl, settings.cookie(), active != null && active.listable());
    }

    /** Lets the subscription events of streams closed at shutdown go out (up to 2 s), before the broker closes. */
    @Override
    public void close() {
        if (subscriptionEvents != null) {
            subscriptionEvents.shutdown();
            try {
                subscriptionEvents.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
