package io.ssegateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.ssegateway.config.AuthSettings;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Verifies JWT access tokens as RFC 9068 profiles them (what the Mercure protocol requires): header
 * {@code typ} {@code at+jwt} (or {@code application/at+jwt}, any case), a signature by the
 * configured key, {@code exp} present and not passed, {@code nbf} if present, {@code aud} naming
 * this resource, {@code iss} one of the trusted issuers. Every failure is the same
 * {@code invalid_token}: the reason is logged by the caller if at all, not told to the client.
 */
public final class AccessTokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final DefaultJWTProcessor<SecurityContext> legacy = new DefaultJWTProcessor<>();
    private final Set<String> issuers;

    private AccessTokenVerifier(JWSKeySelector<SecurityContext> keys, String resource, Set<String> issuers,
                                Duration clockSkew) {
        this.issuers = Set.copyOf(issuers);
        processor.setJWSKeySelector(keys);
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
            new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt")));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(resource, null,
            Set.of("exp", "iss"));
        claims.setMaxClockSkew((int) clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        legacy.setJWSKeySelector(keys);
        // Pre-standard tokens: any typ (Nimbus' default accepts JWT or none), no aud or iss; exp and nbf when present.
        DefaultJWTClaimsVerifier<SecurityContext> legacyClaims = new DefaultJWTClaimsVerifier<>(null, null);
        legacyClaims.setMaxClockSkew((int) clockSkew.toSeconds());
        legacy.setJWTClaimsSetVerifier(legacyClaims);
    }

    /**
     * The verifier for the configured key, or null if none is configured.
     *
     * @param resource the resource identifier tokens must name in {@code aud}
     * @param issuers  the {@code iss} values accepted
     */
    public static AccessTokenVerifier fromConfig(AuthSettings auth, String resource, List<String> issuers) {
        JWSKeySelector<SecurityContext> keys = TokenVerifier.keySelector(auth);
        return keys == null ? null : new AccessTokenVerifier(keys, resource, Set.copyOf(issuers), auth.clockSkew());
    }

    /**
     * The claims of a valid token.
     *
     * @throws AuthException 401 {@code invalid_token}, with the reason as its message
     */
    public JWTClaimsSet verify(String token) throws AuthException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new AuthException(401, "invalid_token", "the token was rejected: " + e.getMessage());
        }
        if (!issuers.contains(claims.getIssuer())) {
            throw new AuthException(401, "invalid_token", "the token's issuer is not trusted");
        }
        return claims;
    }

    /**
     * The claims of a token as pre-standard Mercure hubs took it: signed by the configured key, not
     * expired and not before its {@code nbf}; nothing else is required.
     *
     * @throws AuthException 401 {@code invalid_token}
     */
    public JWTClaimsSet verifyPreStandard(String token) throws AuthException {
        try {
            return legacy.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new AuthException(401, "invalid_token", "the token was rejected: " + e.getMessage());
        }
    }
}
