package io.ssegateway.mercure;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ssegateway.auth.AccessTokenVerifier;
import io.ssegateway.auth.AuthException;
import io.ssegateway.auth.ClientAddress;
import io.ssegateway.http.FirstTimeLog;
import io.ssegateway.http.JsonResponses;
import io.ssegateway.http.QueryString;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Who a Mercure request is: the access token it presents (the {@code Authorization: Bearer} header,
 * else the Mercure cookie; never a query parameter), verified ({@link AccessTokenVerifier}) and read
 * into {@link Grants}. Failures are {@link AuthException}s whose code is the RFC 6750 error
 * ({@code invalid_request}, {@code invalid_token}, {@code insufficient_scope}; null for a missing token).
 */
final class MercureAuth {
    private static final String BEARER = "Bearer ";
    /** Pre-standard clients' cookie and query parameter. */
    static final String LEGACY_COOKIE = "mercureAuthorization";
    static final String LEGACY_QUERY_PARAMETER = "authorization";

    private static final System.Logger LOG = System.getLogger(MercureAuth.class.getName());
    private final FirstTimeLog preStandardCarriers = new FirstTimeLog(LOG);
    private final AccessTokenVerifier verifier;
    private final String cookieName;
    private final URI hubUrl;
    private final boolean legacy;

    /**
     * @param verifier null when no key is configured: then only direct loopback clients may publish
     * @param legacy   whether pre-standard tokens and ways of presenting them are accepted too
     */
    MercureAuth(AccessTokenVerifier verifier, String cookieName, URI hubUrl, boolean legacy) {
        this.verifier = verifier;
        this.cookieName = cookieName;
        this.hubUrl = hubUrl;
        this.legacy = legacy;
    }

    /** The grants of the request's token, or null if it presents none. */
    Grants grants(HttpServletRequest req) throws AuthException {
        String token = token(req);
        if (token == null) {
            return null;
        }
        if (verifier == null) {
            throw new AuthException(401, "invalid_token", "no auth key is configured: this hub verifies no tokens");
        }
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(token);
        } catch (AuthException notAnAccessToken) {
            if (!legacy) {
                throw isPreStandard(token) ? new AuthException(401, "invalid_token", notAnAccessToken.getMessage()
                    + "; it is a pre-standard Mercure token (a 'mercure' claim, as Symfony's MercureBundle and API Platform "
                    + "make): start the gateway with --mercure-legacy true (SSE_MERCURE_LEGACY=true) to accept it")
                    : notAnAccessToken;
            }
            return preStandardGrants(verifier.verifyPreStandard(token));
        }
        Object details = claims.getClaim("authorization_details");
        if (details == null && legacy && claims.getClaim(Grants.LEGACY_CLAIM) != null) {
            return preStandardGrants(claims);
        }
        try {
            return Grants.parse(details, claims.getExpirationTime().toInstant(), hubUrl);
        } catch (IllegalArgumentException e) {
            throw new AuthException(401, "invalid_token", "authorization_details: " + e.getMessage());
        }
    }

    /** Whether {@code token} is signed by our key and carries the pre-standard {@code mercure} claim. */
    private boolean isPreStandard(String token) {
        try {
            return verifier.verifyPreStandard(token).getClaim(Grants.LEGACY_CLAIM) != null;
        } catch (AuthException notEvenThat) {
            return false;
        }
    }

    private Grants preStandardGrants(JWTClaimsSet claims) throws AuthException {
        try {
            Instant exp = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
            return Grants.parsePreStandard(claims.getClaim(Grants.LEGACY_CLAIM), exp, hubUrl);
        } catch (IllegalArgumentException e) {
            throw new AuthException(401, "invalid_token", "mercure claim: " + e.getMessage());
        }
    }

    /**
     * Who publishes, decided from the request's head before its form is read, so that a client
     * without a token never gets to send one: where no key is configured, only direct loopback
     * clients (and then null, as they may publish anything); else the token's grants.
     *
     * @throws AuthException 401 without a token or with an invalid one, 403 from elsewhere where no key is configured
     */
    Grants checkPublisher(HttpServletRequest req) throws AuthException {
        if (verifier == null) {
            if (!ClientAddress.isLoopback(req.getRemoteAddr()) || ClientAddress.forwardedBy(req) != null) {
                throw new AuthException(403, "insufficient_scope", "no auth key is configured, so only direct loopback "
                    + "clients may publish; configure SSE_AUTH_HS256_SECRET_FILE, SSE_AUTH_PUBLIC_KEY_FILE or "
                    + "SSE_AUTH_JWKS_FILE and send an access token");
            }
            return null;
        }
        Grants grants = grants(req);
        if (grants == null) {
            throw new AuthException(401, null, "publishing needs an access token (Authorization: Bearer)");
        }
        return grants;
    }

    /**
     * Checks that a publisher {@link #checkPublisher} let through may publish to every one of {@code topics}.
     *
     * @throws AuthException 403 {@code insufficient_scope} if a topic is not granted
     */
    static void checkTopics(Grants publisher, List<Topic> topics) throws AuthException {
        if (publisher == null) {
            return;
        }
        for (Topic t : topics) {
            if (!publisher.allows(Grants.PUBLISH, t)) {
                throw new AuthException(403, "insufficient_scope", "the token may not publish to '"
                    + JsonResponses.sanitize(t.text()) + "'");
            }
        }
    }

    /**
     * The Bearer header's token, else the cookie's; null if neither. Another scheme's header (a site
     * behind Basic authentication, whose browser adds it to every request) is not ours: ignored.
     */
    private String token(HttpServletRequest req) throws AuthException {
        String header = req.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER.trim(), 0, BEARER.length() - 1)) {
            String token = header.substring(BEARER.length() - 1).trim();
            if (token.isEmpty() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                throw new AuthException(400, "invalid_request", "Authorization must be 'Bearer <access token>'");
            }
            return token;
        }
        String cookie = cookie(req, cookieName);
        if (cookie == null && legacy) {
            cookie = cookie(req, LEGACY_COOKIE);
        }
        if (cookie == null && !legacy) {
            warnOfPreStandardCarriers(req);
        }
        if (cookie != null || !legacy) {
            return cookie;
        }
        try {
            String query = QueryString.parse(req.getQueryString()).first(LEGACY_QUERY_PARAMETER);
            return query == null || query.isEmpty() ? null : query;
        } catch (IllegalArgumentException malformedQuery) {
            return null; // a subscription's query was checked already; a publication's is not read
        }
    }

    /**
     * A request that carries its token only where pre-standard clients put it goes on without one
     * (public updates only, or 401 for a publication): say so once, with the setting that reads it.
     */
    private void warnOfPreStandardCarriers(HttpServletRequest req) {
        String carrier = cookie(req, LEGACY_COOKIE) != null ? "the " + LEGACY_COOKIE + " cookie"
            : req.getQueryString() != null && req.getQueryString().contains(LEGACY_QUERY_PARAMETER + "=")
                ? "the " + LEGACY_QUERY_PARAMETER + " query parameter" : null;
        if (carrier != null) {
            preStandardCarriers.warn(carrier, () -> "a Mercure request carried its token in " + carrier + ", where only "
                + "pre-standard clients (Symfony's MercureBundle, API Platform) put it; it went on without that token. "
                + "Start the gateway with --mercure-legacy true (SSE_MERCURE_LEGACY=true) to read it there");
        }
    }

    private static String cookie(HttpServletRequest req, String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (name.equals(c.getName()) && !c.getValue().isEmpty()) {
                    return c.getValue();
                }
            }
        }
        return null;
    }
}
