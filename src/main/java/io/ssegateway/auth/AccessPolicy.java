package io.ssegateway.auth;

import io.ssegateway.config.AuthSettings;
import io.ssegateway.http.QueryString;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;

/**
 * Who may publish and who may subscribe.
 * <ul>
 *   <li>Publishing: with a key configured, an {@code Authorization: Bearer <JWT>} whose
 *       {@code publish} claim allows the topic. Without a key, only loopback peers whose request
 *       carries no forwarding header (a proxy on the same host is a loopback peer too).</li>
 *   <li>Subscribing: topics matching {@code private-topics} need a token (header, cookie or
 *       {@code access_token} parameter) whose {@code subscribe} claim allows them; other topics
 *       are public.</li>
 * </ul>
 * Tokens are never logged or echoed back.
 */
public final class AccessPolicy {
    /** Query parameter for a subscriber token, for EventSource that cannot set headers. */
    public static final String TOKEN_PARAMETER = "access_token";
    /** A subscriber token must keep a stream open at least this long to be accepted. */
    private static final java.time.Duration MIN_STREAM_LIFETIME = java.time.Duration.ofSeconds(1);

    private final TokenVerifier verifier;
    private final TopicPatterns privateTopics;
    private final String cookieName;

    public AccessPolicy(TokenVerifier verifier, TopicPatterns privateTopics, String cookieName) {
        this.verifier = verifier;
        this.privateTopics = privateTopics;
        this.cookieName = cookieName;
    }

    public static AccessPolicy fromConfig(AuthSettings auth) {
        return new AccessPolicy(TokenVerifier.fromConfig(auth), TopicPatterns.of(auth.privateTopics()), auth.tokenCookie());
    }

    /** True if subscribing to {@code topic} needs a token ({@code private-topics}). */
    public boolean isPrivate(String topic) {
        return privateTopics.matches(topic);
    }

    /** True if publishing needs a token (a key is configured). */
    public boolean publishNeedsToken() {
        return verifier != null;
    }

    /** Checks a publish to {@code topic} from {@code req}'s client. */
    public void checkPublish(HttpServletRequest req, String topic) throws AuthException {
        checkPublish(req.getRemoteAddr(), ClientAddress.forwardedBy(req), bearer(req), topic);
    }

    /**
     * Checks a publish to {@code topic} from the peer {@code peerAddress} with the bearer token
     * {@code token} (null if none).
     *
     * @param forwardingHeader the name of a forwarding header the request carries ({@code Forwarded},
     *                         {@code X-Forwarded-For}, {@code X-Real-IP}), or null: a proxy on the
     *                         same host connects from loopback, so without a key only a direct
     *                         loopback peer may publish
     */
    public void checkPublish(String peerAddress, String forwardingHeader, String token, String topic)
        throws AuthException {
        if (verifier == null) {
            if (!ClientAddress.isLoopback(peerAddress)) {
                throw new AuthException(403, "publish-forbidden", "no auth key is configured, so only loopback clients "
                    + "may publish; configure SSE_AUTH_HS256_SECRET_FILE, SSE_AUTH_PUBLIC_KEY_FILE or SSE_AUTH_JWKS_FILE");
            }
            if (forwardingHeader != null) {
                throw new AuthException(403, "publish-forbidden", "this publish came through a proxy (it carries "
                    + forwardingHeader + "); with no auth key configured only direct loopback clients may publish: "
                    + "publish to the node itself, or configure SSE_AUTH_HS256_SECRET_FILE, SSE_AUTH_PUBLIC_KEY_FILE or "
                    + "SSE_AUTH_JWKS_FILE and send a token");
            }
            return;
        }
        if (token == null) {
            throw new AuthException(401, "missing-token", "publishing needs Authorization: Bearer <JWT>");
        }
        Grant grant = verifier.verify(token);
        if (!grant.publish().matches(topic)) {
            throw new AuthException(403, "topic-forbidden", "the token may not publish to topic '" + topic
                + "': its publish claim allows " + grant.publish().describe() + " (sse-gateway token --publish '" + topic
                + "' makes one that may)");
        }
    }

    /**
     * Checks a subscription to {@code topics}.
     *
     * @return when the stream must end because its token expires, or null if it needs no token
     */
    public Instant checkSubscribe(HttpServletRequest req, List<String> topics) throws AuthException {
        List<String> restricted = topics.stream().filter(privateTopics::matches).toList();
        if (restricted.isEmpty()) {
            return null;
        }
        String token = subscriberToken(req);
        if (token == null) {
            throw new AuthException(401, "missing-token", "topic '" + restricted.get(0) + "' is private: send a token in "
                + "Authorization: Bearer, the " + cookieName + " cookie or the " + TOKEN_PARAMETER + " parameter");
        }
        Grant grant = verifier.verify(token);
        if (grant.expiresAt() != null && grant.expiresAt().isBefore(Instant.now().plus(MIN_STREAM_LIFETIME))) {
            // Accepted by the clock skew but about to end: a stream that closes at once would make an
            // EventSource reconnect with the same token over and over.
            throw new AuthException(401, "token-expired", "the token has expired or expires within "
                + MIN_STREAM_LIFETIME.toSeconds() + " s; get a fresh one");
        }
        for (String topic : restricted) {
            if (!grant.subscribe().matches(topic)) {
                throw new AuthException(403, "topic-forbidden", "the token may not subscribe to topic '" + topic
                    + "': its subscribe claim allows " + grant.subscribe().describe() + " (sse-gateway token --subscribe '"
                    + topic + "' makes one that may)");
            }
        }
        return grant.expiresAt();
    }

    private String subscriberToken(HttpServletRequest req) {
        String token = bearer(req);
        if (token != null) {
            return token;
        }
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (cookieName.equals(c.getName()) && !c.getValue().isEmpty()) {
                    return c.getValue();
                }
            }
        }
        // The query string only (not getParameter, which answers a malformed query with the
        // container's HTML 400): the stream servlet has refused a malformed one before this.
        String param;
        try {
            param = QueryString.parse(req.getQueryString()).first(TOKEN_PARAMETER);
        } catch (IllegalArgumentException e) {
            param = null;
        }
        return param == null || param.isEmpty() ? null : param;
    }

    private static String bearer(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}
