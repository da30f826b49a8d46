package io.ssegateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ssegateway.config.AuthSettings;
import io.ssegateway.config.ConfigException;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

/**
 * Signs tokens that the gateway's verifiers accept, for {@code sse-gateway token}: with the HS256
 * secret of {@code auth-hs256-secret-file}, or with the private half of the key the gateway verifies
 * with ({@code auth-public-key-file}, or a key of {@code auth-jwks-file} named by {@code kid}).
 * The gateway itself signs nothing.
 */
public final class TokenSigner {
    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;
    private final String keyId;

    private TokenSigner(JWSSigner signer, JWSAlgorithm algorithm, String keyId) {
        this.signer = signer;
        this.algorithm = algorithm;
        this.keyId = keyId;
    }

    /** Signs HS256 with the secret of {@code auth-hs256-secret-file}, read as the verifier reads it. */
    public static TokenSigner hs256(AuthSettings auth) {
        if (auth.hs256SecretFile() == null) {
            throw new ConfigException("no HS256 secret: set --auth-hs256-secret-file (SSE_AUTH_HS256_SECRET_FILE)");
        }
        try {
            return new TokenSigner(new MACSigner(TokenVerifier.hs256Secret(auth.hs256SecretFile())), JWSAlgorithm.HS256, null);
        } catch (IOException | JOSEException e) {
            throw new ConfigException("cannot read the HS256 secret " + auth.hs256SecretFile() + ": " + e.getMessage());
        }
    }

    /**
     * Signs with {@code key}: RS256 for an RSA key, ES256 for an EC P-256 key.
     *
     * @param keyId the {@code kid} to name in the header (a JWK Set's verifier picks its key by it), or null
     */
    public static TokenSigner privateKey(PrivateKey key, String keyId) {
        try {
            if (key instanceof RSAPrivateKey rsa) {
                return new TokenSigner(new RSASSASigner(rsa), JWSAlgorithm.RS256, keyId);
            }
            if (key instanceof ECPrivateKey ec) {
                return new TokenSigner(new ECDSASigner(ec), JWSAlgorithm.ES256, keyId);
            }
        } catch (JOSEException e) {
            throw new ConfigException("cannot sign with this key: " + e.getMessage());
        }
        throw new ConfigException("the private key is " + key.getAlgorithm() + "; the gateway verifies RSA (RS256) and EC P-256 (ES256) keys");
    }

    /** The compact serialization of {@code claims} signed with this key, with {@code type} as the header's {@code typ}. */
    public String sign(JOSEObjectType type, JWTClaimsSet claims) {
        JWSHeader.Builder header = new JWSHeader.Builder(algorithm).type(type);
        if (keyId != null) {
            header.keyID(keyId);
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new ConfigException("cannot sign: " + e.getMessage());
        }
        return jwt.serialize();
    }
}
