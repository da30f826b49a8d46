package io.ssegateway.mercure;

import io.ssegateway.http.JsonResponses;
import io.ssegateway.http.QueryString;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * A Mercure subscription request's parameters, validated: its topic matchers ({@code match},
 * {@code match_exact}, {@code match_urlpattern}; any other name beginning with {@code match} in any
 * case is refused, since the whole prefix is reserved) and the id it resumes from.
 *
 * @param matchers    distinct matchers, in the order given
 * @param lastEventId the {@code Last-Event-ID} header, else the {@code last_event_id} parameter; null if neither
 */
record SubscribeRequest(List<Matcher> matchers, String lastEventId) {
    static final String LAST_EVENT_ID_PARAM = "last_event_id";
    /** Pre-standard clients' names: topic selectors, and the id to resume from. */
    static final String LEGACY_TOPIC_PARAM = "topic";
    static final String LEGACY_LAST_EVENT_ID_PARAM = "lastEventID";

    /** A request the draft says to refuse with 400; the message says why. */
    private static void addAll(Set<Matcher> matchers, String name, List<String> values, Function<String, Matcher> make)
        throws Invalid {
        for (String value : values) {
            try {
                matchers.add(make.apply(value));
            } catch (IllegalArgumentException e) {
                throw new Invalid("invalid-matcher", name + " '" + JsonResponses.sanitize(value) + "' is invalid: "
                    + e.getMessage());
            }
        }
    }

    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        Invalid(String code, String message) {
            super(message);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    /** @param legacy whether pre-standard {@code topic} selectors and {@code lastEventID} are accepted too */
    static SubscribeRequest parse(String rawQuery, String lastEventIdHeader, URI hubUrl, int maxMatchers, boolean legacy)
        throws Invalid {
        QueryString query;
        try {
            query = QueryString.parse(rawQuery);
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid-query", "the query string is malformed: " + e.getMessage());
        }
        Set<Matcher> matchers = new LinkedHashSet<>();
        int given = legacy ? query.all(LEGACY_TOPIC_PARAM).size() : 0;
        for (String name : query.names()) {
            given += name.toLowerCase(Locale.ROOT).startsWith("match") ? query.all(name).size() : 0;
        }
        if (given > maxMatchers) {
            throw new Invalid("too-many-matchers", "at most " + maxMatchers + " topic matchers per subscription");
        }
        for (String name : query.names()) {
            if (name.toLowerCase(Locale.ROOT).startsWith("match")) {
                Matcher.Type type = switch (name) {
                    case "match", "match_exact" -> Matcher.Type.EXACT;
                    case "match_urlpattern" -> Matcher.Type.URLPATTERN;
                    default -> throw new Invalid("unknown-matcher-type", "'" + JsonResponses.sanitize(name)
                        + "' is not a matcher this hub has: use match (exact), match_exact or match_urlpattern");
                };
                addAll(matchers, name, query.all(name), value -> Matcher.of(type, value, hubUrl));
            }
        }
        if (legacy) {
            addAll(matchers, LEGACY_TOPIC_PARAM, query.all(LEGACY_TOPIC_PARAM), value -> Matcher.legacy(value, hubUrl));
        }
        if (matchers.isEmpty()) {
            throw new Invalid("missing-match", "at least one topic matcher is required, e.g. ?match=https://example.com/books/1 "
                + "or ?match_urlpattern=https://example.com/books/:id" + (query.all(LEGACY_TOPIC_PARAM).isEmpty() ? ""
                    : "; ?topic= is the pre-standard Mercure selector (Symfony's MercureBundle, API Platform): start the "
                        + "gateway with --mercure-legacy true (SSE_MERCURE_LEGACY=true) to accept it as it is"));
        }
        String last = lastEventIdHeader != null && !lastEventIdHeader.isEmpty() ? lastEventIdHeader
            : query.first(LAST_EVENT_ID_PARAM);
        if (last == null && legacy) {
            last = query.first(LEGACY_LAST_EVENT_ID_PARAM);
        }
        if (last != null && last.isEmpty()) {
            last = null;
        }
        String bad = last == null ? null : TopicRules.forbiddenCharacter(last);
        if (bad != null) {
            throw new Invalid("invalid-last-event-id", "the last event id holds " + bad);
        }
        return new SubscribeRequest(new ArrayList<>(matchers), last);
    }
}
