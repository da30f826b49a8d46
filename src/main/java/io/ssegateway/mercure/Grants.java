package io.ssegateway.mercure;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a verified Mercure access token allows: its {@code authorization_details} of type
 * {@code https://mercure.rocks/authorization-detail}, each a set of actions on topic matchers, and
 * when it expires. Parsing is all or nothing: one malformed detail rejects the token, since acting
 * on the others would change what it allows.
 */
final class Grants {
    static final String DETAIL_TYPE = "https://mercure.rocks/authorization-detail";
    static final String PUBLISH = "publish";
    static final String SUBSCRIBE = "subscribe";
    /** The pre-standard claim: {@code {"publish": [selectors], "subscribe": [selectors]}}. */
    static final String LEGACY_CLAIM = "mercure";
    /** Most Mercure details a token may hold, and most matchers in one detail. */
    static final int MAX_DETAILS = 64;
    static final int MAX_MATCHERS = 256;

    /**
     * One detail: the actions it grants (unknown ones kept, they grant nothing) on its matchers, and
     * its {@code payload} (a JSON object's text) or null.
     */
    record Detail(Set<String> actions, List<Matcher> topics, String payload) {
    }

    private final List<Detail> details;
    private final Instant expiresAt;

    private Grants(List<Detail> details, Instant expiresAt) {
        this.details = List.copyOf(details);
        this.expiresAt = expiresAt;
    }

    /**
     * Reads the claim's value (as Nimbus gives it: lists and maps).
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    static Grants parse(Object claim, Instant expiresAt, URI hubUrl) {
        List<Detail> out = new ArrayList<>();
        if (claim == null) {
            return new Grants(out, expiresAt);
        }
        if (!(claim instanceof List<?> list)) {
            throw new IllegalArgumentException("authorization_details must be an array");
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> detail)) {
                throw new IllegalArgumentException("each authorization detail must be an object");
            }
            if (!DETAIL_TYPE.equals(detail.get("type"))) {
                continue; // another API's detail: not ours to judge
            }
            if (out.size() == MAX_DETAILS) {
                throw new IllegalArgumentException("more than " + MAX_DETAILS + " Mercure authorization details");
            }
            out.add(detail(detail, hubUrl));
        }
        return new Grants(out, expiresAt);
    }

    /**
     * Reads a pre-standard {@code mercure} claim: its {@code publish} and {@code subscribe} arrays of
     * topic selectors (the wildcard, a URI template or an exact topic), each absent array granting nothing.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    static Grants parsePreStandard(Object claim, Instant expiresAt, URI hubUrl) {
        if (!(claim instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("must be an object");
        }
        List<Detail> out = new ArrayList<>();
        for (String action : List.of(PUBLISH, SUBSCRIBE)) {
            Object selectors = map.get(action);
            if (selectors == null) {
                continue;
            }
            if (!(selectors instanceof List<?> list) || list.size() > MAX_MATCHERS) {
                throw new IllegalArgumentException(action + " must be an array of at most " + MAX_MATCHERS + " selectors");
            }
            List<Matcher> matchers = new ArrayList<>(list.size());
            for (Object s : list) {
                if (!(s instanceof String selector)) {
                    throw new IllegalArgumentException(action + " selectors must be strings");
                }
                matchers.add(Matcher.legacy(selector, hubUrl));
            }
            out.add(new Detail(Set.of(action), List.copyOf(matchers), null));
        }
        return new Grants(out, expiresAt);
    }

    private static Detail detail(Map<?, ?> detail, URI hubUrl) {
        if (!(detail.get("actions") instanceof List<?> actions) || actions.isEmpty()) {
            throw new IllegalArgumentException("actions must be a non-empty array");
        }
        Set<String> actionSet = new java.util.HashSet<>();
        for (Object a : actions) {
            if (!(a instanceof String s)) {
                throw new IllegalArgumentException("actions must be strings");
            }
            actionSet.add(s);
        }
        if (!(detail.get("topics") instanceof List<?> topics) || topics.isEmpty()) {
            throw new IllegalArgumentException("topics must be a non-empty array");
        }
        if (topics.size() > MAX_MATCHERS) {
            throw new IllegalArgumentException("more than " + MAX_MATCHERS + " topics in one detail");
        }
        List<Matcher> matchers = new ArrayList<>(topics.size());
        for (Object t : topics) {
            if (!(t instanceof Map<?, ?> m) || !(m.get("match") instanceof String value)) {
                throw new IllegalArgumentException("each topic must be an object with a string match");
            }
            Object typeName = m.containsKey("match_type") ? m.get("match_type") : "exact";
            Matcher.Type type = typeName instanceof String s ? Matcher.Type.named(s) : null;
            if (type == null) {
                throw new IllegalArgumentException("match_type " + typeName + " is not one this hub supports");
            }
            matchers.add(Matcher.of(type, value, hubUrl));
        }
        Object payload = detail.get("payload");
        if (payload != null && !(payload instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("payload must be an object");
        }
        @SuppressWarnings("unchecked")
        String payloadJson = payload == null ? null
            : com.nimbusds.jose.util.JSONObjectUtils.toJSONString((Map<String, ?>) payload);
        return new Detail(Set.copyOf(actionSet), List.copyOf(matchers), payloadJson);
    }

    /** True if some detail grants {@code action} on {@code topic}. */
    boolean allows(String action, Topic topic) {
        for (Detail d : details) {
            if (d.actions().contains(action)) {
                for (Matcher m : d.topics()) {
                    if (m.matches(topic)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The payload of the first subscribe detail one of whose matchers matches {@code subscription}'s
     * own matcher string taken as a topic, or null.
     */
    String payloadFor(Matcher subscription, URI hubUrl) {
        Topic asTopic = new Topic(subscription.value(), hubUrl);
        for (Detail d : details) {
            if (d.actions().contains(SUBSCRIBE)) {
                for (Matcher m : d.topics()) {
                    if (m.matches(asTopic)) {
                        return d.payload();
                    }
                }
            }
        }
        return null;
    }

    /** True if some detail grants subscribe on one of {@code topics}: who may read a private update. */
    boolean allowsSubscribeToAny(List<Topic> topics) {
        for (Topic t : topics) {
            if (allows(SUBSCRIBE, t)) {
                return true;
            }
        }
        return false;
    }

    /** When a stream opened with this token must end; null if the token has no expiry (never: exp is required). */
    Instant expiresAt() {
        return expiresAt;
    }
}
