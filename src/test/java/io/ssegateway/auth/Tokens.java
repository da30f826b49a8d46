package io.ssegateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Signs test tokens with the claims the gateway reads. */
public final class Tokens {
    public static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";

    private Tokens() {
    }

    public static String hs256(List<String> publish, List<String> subscribe, Duration validFor) throws JOSEException {
        return sign(new MACSigner(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)), JWSAlgorithm.HS256,
            publish, subscribe, validFor, null);
    }

    public static String sign(JWSSigner signer, JWSAlgorithm alg, List<String> publish, List<String> subscribe,
                       Duration validFor, String keyId) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
            .subject("test-client")
            .claim("publish", publish)
            .claim("subscribe", subscribe)
            .expirationTime(Date.from(Instant.now().plus(validFor)))
            .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
