package io.ssegateway.server;

import io.ssegateway.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key read from the PEM files that certificate tools write
 * (certbot, cert-manager, openssl), checked to belong together, as the in-memory key store that
 * Jetty's TLS takes.
 *
 * <p>Hand-written rather than with Bouncy Castle (9 MB for this one job): the JDK reads PEM
 * certificates itself and PKCS#8 keys once the Base64 is decoded; a PKCS#1 RSA key needs only a
 * fixed DER prefix to become PKCS#8. Encrypted and SEC1 ({@code BEGIN EC PRIVATE KEY}) keys are
 * refused with the openssl command that converts them.
 *
 * @param chain the certificates, leaf first
 * @param key   the leaf's private key
 */
record PemCredentials(List<X509Certificate> chain, PrivateKey key) {
    /** The key store password: the store lives only in memory, so it protects nothing. */
    static final String STORE_PASSWORD = "in-memory";
    static final String ALIAS = "server";

    private static final Pattern BLOCK = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String CONVERT = "openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW";

    /**
     * Reads and checks the pair.
     *
     * @throws ConfigException naming the file and what is wrong with it
     */
    static PemCredentials read(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new ConfigException("TLS key " + keyFile + " does not belong to the certificate in " + certFile
                + " (" + chain.get(0).getSubjectX500Principal() + "): a signature made with the key does not verify"
                + " with the certificate's public key");
        }
        return new PemCredentials(List.copyOf(chain), key);
    }

    /** The pair as a key store (alias {@value #ALIAS}, password {@value #STORE_PASSWORD}). */
    KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build an in-memory key store", e);
        }
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    private static List<X509Certificate> certificates(Path file) {
        byte[] bytes = readFile(file, "TLS certificate");
        if (!new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new ConfigException("TLS certificate " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate found");
            }
            return chain;
        } catch (CertificateException e) {
            throw new ConfigException("TLS certificate " + file + " is not a valid PEM certificate chain: " + e.getMessage());
        }
    }

    /** The PEM private key in {@code file} (PKCS#8, or PKCS#1 RSA), for TLS or for signing tokens. */
    static PrivateKey privateKey(Path file) {
        String text = new String(readFile(file, "private key"), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("private key " + file + ": the " + type + " block is not valid Base64");
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(file, der);
                case "RSA PRIVATE KEY":
                    return pkcs8(file, rsaPkcs1ToPkcs8(der));
                case "ENCRYPTED PRIVATE KEY":
                    throw new ConfigException("private key " + file + " is encrypted; give the gateway an unencrypted key"
                        + " readable only by its user (" + CONVERT + ")");
                case "EC PRIVATE KEY":
                    throw new ConfigException("private key " + file + " is a SEC1 EC key; convert it to PKCS#8 (" + CONVERT + ")");
                default:
                    // EC PARAMETERS and the like come before the key in some files: skip them.
            }
        }
        throw new ConfigException("private key " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // Not this algorithm: try the next.
            }
        }
        throw new ConfigException("private key " + file + " is not an RSA, EC or EdDSA private key in PKCS#8 form");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in PKCS#8's PrivateKeyInfo (version 0, rsaEncryption, NULL). */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algorithm);
        body.writeBytes(derHeader(0x04, pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(derHeader(0x30, body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] h = new byte[2 + bytes];
        h[0] = (byte) tag;
        h[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            h[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return h;
    }

    /** True if a signature made with {@code key} verifies with the certificate's public key. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        if (!cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm())
            && !(key.getAlgorithm().startsWith("Ed") && cert.getPublicKey().getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] readFile(Path file, String what) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                throw new ConfigException(what + " " + file + " is empty");
            }
            return bytes;
        } catch (IOException e) {
            throw new ConfigException(what + " " + file + " cannot be read: " + e);
        }
    }
}
