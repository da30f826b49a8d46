package io.ssegateway.mercure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code authorization_details} claim of a Mercure access token, written: one detail of type
 * {@code https://mercure.rocks/authorization-detail} per action, on matchers given as text. A
 * matcher is exact, or a URL pattern when written {@code urlpattern:PATTERN};
 * {@code *} alone matches every topic. {@link Grants} reads what this writes.
 */
public final class AuthorizationDetails {
    /** The prefix that makes a matcher a URL pattern. */
    public static final String URLPATTERN_PREFIX = "urlpattern:";

    private AuthorizationDetails() {
    }

    /** The claim's value for a token that may publish to {@code publish} and subscribe to {@code subscribe} (either may be empty). */
    public static List<Map<String, Object>> of(List<String> publish, List<String> subscribe) {
        List<Map<String, Object>> details = new ArrayList<>();
        if (!publish.isEmpty()) {
            details.add(detail(Grants.PUBLISH, publish));
        }
        if (!subscribe.isEmpty()) {
            details.add(detail(Grants.SUBSCRIBE, subscribe));
        }
        return details;
    }

    private static Map<String, Object> detail(String action, List<String> matchers) {
        List<Map<String, Object>> topics = new ArrayList<>();
        for (String m : matchers) {
            Map<String, Object> topic = new LinkedHashMap<>();
            if (m.startsWith(URLPATTERN_PREFIX)) {
                topic.put("match", m.substring(URLPATTERN_PREFIX.length()));
                topic.put("match_type", Matcher.Type.URLPATTERN.wireName());
            } else {
                topic.put("match", m);
            }
            topics.add(topic);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", Grants.DETAIL_TYPE);
        detail.put("actions", List.of(action));
        detail.put("topics", topics);
        return detail;
    }
}
