package io.ssegateway.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Mercure access tokens for tests, signed with an HS256 secret written to a file the gateway reads:
 * {@code at+jwt} with {@code authorization_details}, or deliberately wrong in one way.
 */
public final class MercureTokens {
    public static final String HUB = "https://hub.test/.well-known/mercure";
    public static final String ISSUER = "https://app.test";
    public static final String DETAIL_TYPE = "https://mercure.rocks/authorization-detail";

    private final byte[] secret;
    private final Path secretFile;

    private MercureTokens(byte[] secret, Path secretFile) {
        this.secret = secret;
        this.secretFile = secretFile;
    }

    /** Tokens signed with {@code secret}, which a gateway already reads from a file of its own. */
    public static MercureTokens of(String secret) {
        return new MercureTokens(secret.getBytes(StandardCharsets.UTF_8), null);
    }

    public static MercureTokens create(Path dir) throws Exception {
        byte[] secret = "a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("mercure-secret");
        Files.write(file, secret);
        return new MercureTokens(secret, file);
    }

    /** The settings a gateway needs to verify these tokens, as key/value pairs for {@code TestGateway.start}. */
    public String[] settings(String... more) {
        List<String> kv = new ArrayList<>(List.of("mercure", "true", "mercure-url", HUB, "mercure-issuers", ISSUER,
            "auth-hs256-secret-file", secretFile.toString()));
        kv.addAll(List.of(more));
        return kv.toArray(String[]::new);
    }

    public Path secretFile() {
        return secretFile;
    }

    /** One Mercure authorization detail: {@code actions} on exact or {@code urlpattern} matchers ("urlpattern:" prefix). */
    public static Map<String, Object> detail(List<String> actions, String... matchers) {
        List<Map<String, Object>> topics = new ArrayList<>();
        for (String m : matchers) {
            topics.add(m.startsWith("urlpattern:") ? Map.of("match", m.substring(11), "match_type", "urlpattern")
                : Map.of("match", m));
        }
        return Map.of("type", DETAIL_TYPE, "actions", actions, "topics", topics);
    }

    /** A valid token for an hour with this one detail. */
    public String token(Map<String, Object> detail) throws Exception {
        return sign("at+jwt", claims(Instant.now().plusSeconds(3600), HUB, ISSUER, List.of(detail)));
    }

    /** Claims as a valid token carries them; change what a test needs. */
    @SuppressWarnings("JavaUtilDate") // Nimbus takes Date
    public static JWTClaimsSet.Builder claims(Instant exp, String aud, String iss, List<?> details) {
        return new JWTClaimsSet.Builder().issuer(iss).audience(aud).subject("urn:uuid:test").claim("client_id", iss)
            .issueTime(new Date()).jwtID(java.util.UUID.randomUUID().toString())
            .expirationTime(exp == null ? null : Date.from(exp)).claim("authorization_details", details);
    }

    public String sign(String typ, JWTClaimsSet.Builder claims) throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.HS256);
        if (typ != null) {
            header.type(new JOSEObjectType(typ));
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims.build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}
