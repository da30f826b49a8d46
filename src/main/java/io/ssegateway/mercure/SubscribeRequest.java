package io.ssegateway.mercure;

import io.ssegateway.http.JsonResponses;
import io.ssegateway.http.QueryString;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
        int given = 0;
        for (String name : query.names()) {
            if (!name.toLowerCase(Locale.ROOT).startsWith("match")) {
                continue;
            }
            Matcher.Type type = switch (name) {
                case "match", "match_exact" -> Matcher.Type.EXACT;
                case "match_urlpattern" -> Matcher.Type.URLPATTERN;
                default -> throw new Invalid("unknown-matcher-type", "'" + JsonResponses.sanitize(name) + "' is not a matcher this hub has: use "
                    + "match (exact), match_exact or match_urlpattern");
            };
            for (String value : query.all(name)) {
                if (++given > maxMatchers) {
                    throw new Invalid("too-many-matchers", "at most " + maxMatchers + " topic matchers per subscription");
                }
                try {
                    matchers.add(Matcher.of(type, value, hubUrl));
                } catch (IllegalArgumentException e) {
                    throw new Invalid("invalid-matcher", name + " '" + JsonResponses.sanitize(value) + "' is invalid: "
                        + e.getMessage());
                }
            }
        }
        if (legacy) {
            for (String selector : query.all(LEGACY_TOPIC_PARAM)) {
                if (++given > maxMatchers) {
                    throw new Invalid("too-many-matchers", "at most " + maxMatchers + " topic matchers per subscription");
                }
                try {
                    matchers.add(Matcher.legacy(selector, hubUrl));
                } catch (IllegalArgumentException e) {
                    throw new Invalid("invalid-matcher", "topic '" + JsonResponses.sanitize(selector) + "' is invalid: "
                        + e.getMessage());
                }
            }
        }
        if (matchers.isEmpty()) {
            throw new Invalid("missing-match", "at least one topic matcher is required, e.g. ?match=https://example.com/books/1 "
                + "or ?match_urlpattern=https://example.com/books/:id");
        }
        String last = lastEventIdHeader != null && !lastEventIdHeader.isEmpty() ? lastEventIdHeader
            : query.first(LAST_EVENT_ID_PARAM);
        if (last == null && legacy) {
            last = query.first(LEGACY_LAST_EVENT_ID_PARAM);
        }
        if (last != null && last.isEmpty()) {
            last = null;
        }
        if (last != null && TopicRules.forbiddenCharacter(last) != null) {
            throw new Invalid("invalid-last-event-id", "the last event id holds " + TopicRules.forbiddenCharacter(last));
        }
        return new SubscribeRequest(new ArrayList<>(matchers), last);
    }
}
