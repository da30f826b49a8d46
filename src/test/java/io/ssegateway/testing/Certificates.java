package io.ssegateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;

/**
 * Self-signed certificates and their keys as PEM files, made with the JDK's own {@code keytool}
 * so that tests need nothing but a JDK. (Files as openssl writes them are tested where openssl is
 * installed: {@code PemCredentialsIT}.)
 */
public final class Certificates {
    private static final String PASSWORD = "changeit";

    private Certificates() {
    }

    /**
     * A certificate for {@code commonName} (also valid for localhost and 127.0.0.1), 30 days, with
     * its unencrypted PKCS#8 key, in {@code dir}.
     *
     * @param keyType {@code rsa} or {@code ec}
     */
    public static Pair create(Path dir, String name, String keyType, String commonName) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> algorithm = keyType.equals("ec") ? List.of("-keyalg", "EC", "-groupname", "secp256r1")
            : List.of("-keyalg", "RSA", "-keysize", "2048");
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "key", "-dname", "CN=" + commonName,
            "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12",
            "-keystore", store.toString(), "-storepass", PASSWORD));
        cmd.addAll(algorithm);
        run(cmd);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        Path cert = Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", ks.getCertificate("key").getEncoded()));
        PrivateKey key = (PrivateKey) ks.getKey("key", PASSWORD.toCharArray());
        Path keyFile = Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", key.getEncoded()));
        return new Pair(cert, keyFile);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Runs a command (keytool, openssl) and fails with its output if it fails. */
    public static void run(List<String> command) throws IOException, InterruptedException {
        Processes.Ran ran = Processes.run(command, java.time.Duration.ofSeconds(60));
        if (ran.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + ran.output());
        }
    }

    /** A certificate file and its key file. */
    public record Pair(Path cert, Path key) {
    }
}
