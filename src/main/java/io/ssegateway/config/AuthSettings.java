package io.ssegateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Who may publish and subscribe, and from where.
 *
 * @param hs256SecretFile a file with the HS256 secret, or null
 * @param publicKeyFile   a PEM public key, or null
 * @param jwksFile        a JWK Set, or null
 * @param issuer          the required {@code iss}, empty for none
 * @param audience        the required {@code aud}, empty for none
 * @param clockSkew       tolerance when checking {@code exp}
 * @param privateTopics   topic patterns that need a subscriber token
 * @param tokenCookie     the cookie that may carry a subscriber token
 * @param corsOrigins     origins allowed from a browser
 * @param trustedProxies  peers whose {@code X-Forwarded-For} names the client
 */
public record AuthSettings(Path hs256SecretFile, Path publicKeyFile, Path jwksFile, String issuer, String audience,
                           Duration clockSkew, List<String> privateTopics, String tokenCookie, List<String> corsOrigins,
                           List<String> trustedProxies) {
    /** True if some key to verify JWTs is configured. */
    public boolean hasKey() {
        return hs256SecretFile != null || publicKeyFile != null || jwksFile != null;
    }
}
