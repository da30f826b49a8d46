package io.ssegateway.mercure;

import io.ssegateway.auth.AuthException;
import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.event.Event;
import io.ssegateway.event.Names;
import io.ssegateway.http.JsonResponses;
import io.ssegateway.http.QueryString;
import io.ssegateway.http.RequestBodies;
import io.ssegateway.http.RequestBody;
import io.ssegateway.publish.Publication;
import io.ssegateway.publish.PublishObserver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * {@code POST /.well-known/mercure}: a Mercure publication. The form-encoded body's {@code topic}
 * (one or more), {@code data}, {@code id}, {@code type}, {@code retry} and {@code private} are
 * checked as the draft says (400 for a forbidden value, 413 past a limit), the token must grant
 * {@code publish} on every topic, and the update is stored once on the broker's Mercure log topic;
 * the answer is its id as {@code text/plain}. Unknown fields are ignored, as the draft requires. A
 * public update is copied to those of its topics that are native topic names, for native subscribers.
 */
final class MercurePublications {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String RESERVED_TYPE = "mercure";
    private static final int MAX_FIELD_LENGTH = Matcher.MAX_LENGTH;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private final Broker broker;
    private final MercureAuth auth;
    private final Challenges challenges;
    private final RecentIds recent;
    private final URI hubUrl;
    private final RequestBodies bodies;
    private final int maxTopics;
    private final PublishObserver observer;
    private final Publication publication;

    MercurePublications(Broker broker, MercureAuth auth, Challenges challenges, RecentIds recent, BooleanSupplier draining,
                        URI hubUrl, RequestBodies bodies, int maxTopics, PublishObserver observer) {
        this.observer = observer;
        this.broker = broker;
        this.auth = auth;
        this.challenges = challenges;
        this.recent = recent;
        this.publication = new Publication(draining, observer, "update", "native");
        this.hubUrl = hubUrl;
        this.bodies = bodies;
        this.maxTopics = maxTopics;
    }

    /** A publication refused for its content: the status (400, 413, 415), the code and why. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;

        Refusal(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /**
     * Checks what the head says (the publisher's token among it, so that only a publisher may send a
     * form), then reads the form without holding a thread ({@link RequestBody}).
     */
    void publish(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String idempotencyKey;
        try {
            idempotencyKey = Publication.idempotencyKey(req);
            checkFormType(req);
        } catch (Publication.InvalidKey e) {
            observer.requestRejected("bad-input");
            JsonResponses.error(resp, 400, e.code(), e.getMessage());
            return;
        } catch (Refusal r) {
            observer.requestRejected("bad-input");
            JsonResponses.error(resp, r.status, r.code, r.getMessage());
            return;
        }
        Grants publisher;
        try {
            publisher = auth.checkPublisher(req);
        } catch (AuthException e) {
            observer.requestRejected("auth");
            challenges.refuse(resp, e);
            return;
        }
        bodies.read(req, resp, new RequestBody.Receiver() {
            @Override
            public void received(byte[] body) throws IOException {
                publish(resp, publisher, idempotencyKey, body);
            }

            @Override
            public void refused(int status, String code, String message) throws IOException {
                observer.requestRejected("bad-input");
                JsonResponses.error(resp, status, code, message);
            }
        });
    }

    /** The update a complete form describes: checked, authorized on its topics, stored, answered with its id. */
    private void publish(HttpServletResponse resp, Grants publisher, String idempotencyKey, byte[] body) throws IOException {
        MercureUpdate update;
        List<Topic> topics;
        try {
            QueryString form = form(body);
            topics = topics(form.all("topic"));
            update = new MercureUpdate(form.all("topic"), !form.all("private").isEmpty(), id(form.first("id")),
                type(form.first("type")), retry(form.first("retry")), orEmpty(form.first("data")));
        } catch (Refusal r) {
            observer.requestRejected("bad-input");
            JsonResponses.error(resp, r.status, r.code, r.getMessage());
            return;
        }
        try {
            MercureAuth.checkTopics(publisher, topics);
        } catch (AuthException e) {
            observer.requestRejected("auth");
            challenges.refuse(resp, e);
            return;
        }
        Event event = publication.store(resp, () -> {
            Event stored = broker.publish(MercureUpdate.LOG_TOPIC, null, update.toLogData(), idempotencyKey);
            recent.seen(update.id(), stored.id());
            return stored;
        }, () -> copyToNativeTopics(update, idempotencyKey));
        if (event == null) {
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/plain; charset=utf-8");
        resp.getOutputStream().write(MercureUpdate.of(event).idFor(event.id()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Copies a public update to each of its topics that is a native topic name, so native subscribers
     * of that topic get it too (with its type if that is a native type name; without retry or id).
     * Private updates are not copied: the native door has no per-update audience.
     */
    private void copyToNativeTopics(MercureUpdate update, String idempotencyKey) throws BrokerUnavailableException {
        if (update.privateUpdate()) {
            return;
        }
        for (String topic : update.topics()) {
            if (Names.isValidTopic(topic)) {
                broker.publish(topic, Names.isValidType(update.type()) ? update.type() : null, update.data(),
                    DoorKeys.forCopy("mercure", topic, idempotencyKey));
            }
        }
    }

    private static void checkFormType(HttpServletRequest req) throws Refusal {
        String contentType = req.getContentType();
        if (contentType == null || !contentType.regionMatches(true, 0, FORM, 0, FORM.length())) {
            throw new Refusal(415, "unsupported-media-type", "a Mercure publication is a form: send "
                + "Content-Type: " + FORM + " (curl -d does)");
        }
    }

    private static QueryString form(byte[] body) throws Refusal {
        try {
            return QueryString.parse(RequestBody.utf8(body));
        } catch (CharacterCodingException | IllegalArgumentException e) {
            throw new Refusal(400, "invalid-form", "the body is not a UTF-8 form: " + e.getMessage());
        }
    }

    private List<Topic> topics(List<String> values) throws Refusal {
        if (values.isEmpty()) {
            throw new Refusal(400, "missing-topic", "at least one topic field is required");
        }
        if (values.size() > maxTopics) {
            throw new Refusal(413, "too-many-topics", values.size() + " topics; at most " + maxTopics + " per update");
        }
        List<Topic> out = new ArrayList<>(values.size());
        for (String t : values) {
            checkText("topic", t);
            if (Matcher.WILDCARD.equals(t)) {
                throw new Refusal(400, "invalid-topic", "'*' is reserved for the wildcard matcher and cannot be a topic");
            }
            // Parsed once: the reserved-namespace rule and the token's matchers read the same URL.
            Topic topic = new Topic(t, hubUrl);
            if (ReservedNamespace.addresses(topic)) {
                throw new Refusal(400, "reserved-topic", "topic '" + JsonResponses.sanitize(t)
                    + "' addresses the hub's reserved namespace " + hubUrl.getPath() + "/…");
            }
            out.add(topic);
        }
        return out;
    }

    private static String id(String id) throws Refusal {
        if (id == null || id.isEmpty()) {
            return null;
        }
        checkText("id", id);
        if (id.startsWith("#")) {
            throw new Refusal(400, "invalid-id", "an id must not start with '#': those are the hub's own ids");
        }
        if (Reconciliation.EARLIEST.equals(id)) {
            throw new Refusal(400, "invalid-id", "'earliest' is reserved for reconciliation and cannot be an id");
        }
        return id;
    }

    private static String type(String type) throws Refusal {
        if (type == null || type.isEmpty()) {
            return null;
        }
        checkText("type", type);
        if (RESERVED_TYPE.equals(type)) {
            throw new Refusal(400, "invalid-type", "the type 'mercure' is reserved for the hub's own events");
        }
        return type;
    }

    private static String retry(String retry) throws Refusal {
        if (retry == null) {
            return null;
        }
        if (!DIGITS.matcher(retry).matches()) {
            throw new Refusal(400, "invalid-retry", "retry must be 1 to 18 ASCII digits (milliseconds)");
        }
        return retry;
    }

    private static void checkText(String field, String value) throws Refusal {
        if (value.length() > MAX_FIELD_LENGTH) {
            throw new Refusal(413, "field-too-long", field + " is longer than " + MAX_FIELD_LENGTH + " characters");
        }
        String bad = TopicRules.forbiddenCharacter(value);
        if (bad != null) {
            throw new Refusal(400, "invalid-" + field, field + " holds " + bad);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
