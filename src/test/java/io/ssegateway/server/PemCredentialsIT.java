package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.config.ConfigException;
import io.ssegateway.testing.Certificates.Pair;
import io.ssegateway.testing.Certificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PEM files operators have, made by the real openssl as they make them (RSA and EC in PKCS#8,
 * RSA in PKCS#1), and every way they go wrong.
 */
class PemCredentialsIT {
    @TempDir
    Path dir;

    @Test
    void readsRsaAndEcKeysInPkcs8AndRsaInPkcs1() throws Exception {
        Pair rsa = OpensslPairs.create(dir, "rsa", "rsa", "rsa.example");
        Pair ec = OpensslPairs.create(dir, "ec", "ec", "ec.example");
        assertEquals("CN=rsa.example", PemCredentials.read(rsa.cert(), rsa.key()).leaf().getSubjectX500Principal().getName());
        assertEquals("EC", PemCredentials.read(ec.cert(), ec.key()).key().getAlgorithm());
        Path pkcs1 = dir.resolve("rsa-pkcs1.key");
        Certificates.run(List.of("openssl", "rsa", "-traditional", "-in", rsa.key().toString(), "-out", pkcs1.toString()));
        assertTrue(Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals("RSA", PemCredentials.read(rsa.cert(), pkcs1).keyStore().getKey(PemCredentials.ALIAS,
            PemCredentials.STORE_PASSWORD.toCharArray()).getAlgorithm());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
        Pair a = OpensslPairs.create(dir, "a", "rsa", "a.example");
        Pair b = OpensslPairs.create(dir, "b", "rsa", "b.example");
        ConfigException e = assertThrows(ConfigException.class, () -> PemCredentials.read(a.cert(), b.key()));
        assertTrue(e.getMessage().contains(b.key().toString()) && e.getMessage().contains(a.cert().toString())
            && e.getMessage().contains("does not belong"), e.getMessage());
        Pair ec = OpensslPairs.create(dir, "ec", "ec", "ec.example");
        assertThrows(ConfigException.class, () -> PemCredentials.read(a.cert(), ec.key()));
    }

    @Test
    void brokenFilesAreRefusedNamingTheFileAndWhatToDo() throws Exception {
        Pair good = OpensslPairs.create(dir, "good", "rsa", "good.example");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertMessage(() -> PemCredentials.read(garbage, good.key()), garbage.toString(), "not a valid PEM certificate");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "");
        assertMessage(() -> PemCredentials.read(empty, good.key()), empty.toString(), "is empty");
        // The key given as the certificate, and the certificate as the key: a common mix-up.
        assertMessage(() -> PemCredentials.read(good.key(), good.cert()), good.key().toString(), "no PEM certificate");
        Path encrypted = dir.resolve("encrypted.key");
        Certificates.run(List.of("openssl", "pkcs8", "-topk8", "-in", good.key().toString(), "-out", encrypted.toString(),
            "-passout", "pass:secret"));
        assertMessage(() -> PemCredentials.read(good.cert(), encrypted), encrypted.toString(), "openssl pkcs8 -topk8 -nocrypt");
        Pair ec = OpensslPairs.create(dir, "ec", "ec", "ec.example");
        Path sec1 = dir.resolve("sec1.key");
        Certificates.run(List.of("openssl", "ec", "-in", ec.key().toString(), "-out", sec1.toString()));
        assertMessage(() -> PemCredentials.read(ec.cert(), sec1), sec1.toString(), "SEC1");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable read, String file, String what) {
        ConfigException e = assertThrows(ConfigException.class, read);
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(what), e.getMessage());
    }

    /** Pairs made with {@code openssl req -x509}, as operators make them. */
    private static final class OpensslPairs {
        static Pair create(Path dir, String name, String keyType, String commonName) throws Exception {
            Path cert = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "30",
                "-subj", "/CN=" + commonName, "-keyout", key.toString(), "-out", cert.toString()));
            cmd.addAll(keyType.equals("ec") ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
                : List.of("-newkey", "rsa:2048"));
            Certificates.run(cmd);
            return new Pair(cert, key);
        }
    }
}
