package io.ssegateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.ssegateway.config.AuthSettings;
import io.ssegateway.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies JWTs with Nimbus JOSE+JWT against the configured key: an HS256 secret, a PEM public
 * key (RS256 or ES256) or a JWK Set. Requires {@code exp}; checks {@code iss} and {@code aud}
 * when configured. The claims {@code publish} and {@code subscribe} are lists of topic patterns.
 */
public final class TokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Duration clockSkew;

    private TokenVerifier(JWSKeySelector<SecurityContext> keys, String issuer, String audience, Duration clockSkew) {
        this.clockSkew = clockSkew;
        processor.setJWSKeySelector(keys);
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!issuer.isEmpty()) {
            exact.issuer(issuer);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
            audience.isEmpty() ? null : audience, exact.build(), Set.of("exp"));
        // Nimbus tolerates 60 s by default: a token that expired a minute ago would be accepted and
        // its stream closed at once, over and over. The tolerance is ours to set, and small.
        claims.setMaxClockSkew((int) clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The verifier for the configured key, or null when no key is configured. */
    public static TokenVerifier fromConfig(AuthSettings auth) {
        JWSKeySelector<SecurityContext> keys = keySelector(auth);
        return keys == null ? null : new TokenVerifier(keys, auth.issuer(), auth.audience(), auth.clockSkew());
    }

    /**
     * What verifies signatures with the configured key (an HS256 secret, a PEM public key, a JWK Set),
     * or null when no key is configured. Only the algorithms of that key are accepted, never
     * {@code none}, and never a key named by the token itself.
     *
     * @throws ConfigException if the key cannot be read
     */
    static JWSKeySelector<SecurityContext> keySelector(AuthSettings auth) {
        try {
            if (auth.hs256SecretFile() != null) {
                return new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(hs256Secret(auth.hs256SecretFile())));
            }
            if (auth.publicKeyFile() != null) {
                // One key: it verifies every token, whatever kid the token names.
                PublicKey key = publicKeyFromPem(Files.readString(auth.publicKeyFile()));
                JWSAlgorithm alg = key instanceof RSAPublicKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
                return new SingleKeyJWSKeySelector<>(alg, key);
            }
            if (auth.jwksFile() != null) {
                JWKSet set = JWKSet.load(auth.jwksFile().toFile());
                return new JWSVerificationKeySelector<>(
                    Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.HS256), new ImmutableJWKSet<>(set));
            }
        } catch (IOException | ParseException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("invalid auth key: " + e.getMessage());
        }
        return null;
    }

    /**
     * The HS256 secret in {@code file}: its text without surrounding white space (a trailing newline
     * from an editor or {@code echo} is not part of it), at least 32 bytes.
     *
     * @throws ConfigException if it is shorter
     */
    static byte[] hs256Secret(Path file) throws IOException {
        byte[] secret = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip()
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (secret.length < 32) {
            throw new ConfigException("invalid SSE_AUTH_HS256_SECRET_FILE: the secret must be at least 32 bytes");
        }
        return secret;
    }

    /**
     * Reads an X.509 {@code PUBLIC KEY} PEM block (RSA or EC) with the JDK alone; Nimbus's own PEM
     * reader would need BouncyCastle.
     */
    static PublicKey publicKeyFromPem(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    /**
     * Verifies a compact JWT.
     *
     * @throws AuthException 401 {@code invalid-token} (malformed, bad signature, wrong issuer or
     *                       audience) or 401 {@code token-expired}
     */
    public Grant verify(String token) throws AuthException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            if (e.getMessage() != null && e.getMessage().contains("xpired")) {
                throw new AuthException(401, "token-expired", "the token has expired; get a fresh one");
            }
            throw new AuthException(401, "invalid-token", "the token was rejected: " + e.getMessage());
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new AuthException(401, "invalid-token", "the token was rejected: " + e.getMessage());
        }
        return new Grant(patterns(claims, "publish"), patterns(claims, "subscribe"),
            claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant().plus(clockSkew));
    }

    private static TopicPatterns patterns(JWTClaimsSet claims, String name) throws AuthException {
        try {
            List<String> list = claims.getStringListClaim(name);
            return TopicPatterns.of(list == null ? List.of() : new HashSet<>(list));
        } catch (ParseException e) {
            throw new AuthException(401, "invalid-token", "claim '" + name + "' must be a list of topic patterns");
        }
    }
}
