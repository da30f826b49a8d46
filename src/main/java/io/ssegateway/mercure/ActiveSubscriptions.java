package io.ssegateway.mercure;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Presence;
import io.ssegateway.stream.SseStream;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * Mercure's active subscriptions: when a subscription starts or ends, a private update of type
 * {@code mercure} on {@code <hub path>/subscriptions/{match_type}/{match}/{subscriber}} goes through
 * the broker's log like any update (so subscribers on every node get it), and the subscription is
 * recorded in or removed from the broker's {@link Presence} (which the subscription API lists).
 * Both happen on one thread of their own, in order, never on a request or pump thread.
 */
final class ActiveSubscriptions {
    private static final System.Logger LOG = System.getLogger(ActiveSubscriptions.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    static final String EVENT_TYPE = "mercure";

    private final Broker broker;
    private final Presence presence;
    private final URI hubUrl;
    private final ExecutorService worker;

    /** @param presence where subscriptions are listed across nodes, or null if the broker has none */
    ActiveSubscriptions(Broker broker, Presence presence, URI hubUrl, ExecutorService worker) {
        this.broker = broker;
        this.presence = presence;
        this.hubUrl = hubUrl;
        this.worker = worker;
    }

    /** A new subscriber's identifier: random, per connection, never from the client. */
    static String newSubscriber() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    /** The path under which the subscription documents live: the hub's path and {@code /subscriptions}. */
    String root() {
        return hubUrl.getPath() + "/subscriptions";
    }

    /** True if the subscription API can list subscriptions across nodes (the broker has a presence store). */
    boolean listable() {
        return presence != null;
    }

    /** Announces the subscriptions of a stream now open, and their end when {@code stream} closes. */
    void track(String subscriber, List<Matcher> matchers, Grants grants, SseStream stream) {
        worker.execute(() -> announce(subscriber, matchers, grants, true));
        stream.whenClosed(() -> worker.execute(() -> announce(subscriber, matchers, grants, false)));
    }

    private void announce(String subscriber, List<Matcher> matchers, Grants grants, boolean active) {
        for (Matcher m : matchers) {
            String topic = topic(m.type().wireName(), m.value(), subscriber);
            String doc = document(topic, m, subscriber, active, grants == null ? null : grants.payloadFor(m, hubUrl));
            try {
                if (presence != null) {
                    if (active) {
                        presence.put(topic, doc);
                    } else {
                        presence.remove(topic);
                    }
                }
                broker.publish(MercureUpdate.LOG_TOPIC, null,
                    new MercureUpdate(List.of(topic), true, null, EVENT_TYPE, null, doc).toLogData(), null);
            } catch (BrokerUnavailableException e) {
                LOG.log(Level.WARNING, "subscription event for {0} not published: {1}", topic, e.getMessage());
            }
        }
    }

    /** {@code <root>/{match_type}/{match}/{subscriber}}, each variable percent-encoded once. */
    String topic(String matchType, String match, String subscriber) {
        return root() + "/" + matchType + "/" + encode(match) + "/" + encode(subscriber);
    }

    private static String document(String topic, Matcher m, String subscriber, boolean active, String payload) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("id", topic).add("type", "subscription")
            .add("match_type", m.type().wireName()).add("match", m.value()).add("subscriber", subscriber)
            .add("active", active);
        if (payload != null) {
            b.add("payload", JSON.createReader(new StringReader(payload)).readObject());
        }
        return b.build().toString();
    }

    /** A stored document, parsed. */
    static JsonObject parse(String doc) {
        return JSON.createReader(new StringReader(doc)).readObject();
    }

    /** RFC 6570 simple string expansion of one value: everything but unreserved characters percent-encoded. */
    static String encode(String value) {
        StringBuilder b = new StringBuilder(value.length() + 16);
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
