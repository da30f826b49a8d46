package io.ssegateway.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates and keys made by the real {@code openssl}, as operators make them. */
public final class Certificates {
    private Certificates() {
    }

    /** A certificate for {@code commonName} (also localhost and 127.0.0.1) and its key, PKCS#8, in {@code dir}. */
    public static Pair create(Path dir, String name, String keyType, String commonName) throws Exception {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "30",
            "-subj", "/CN=" + commonName, "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", key.toString(), "-out", cert.toString()));
        if (keyType.equals("ec")) {
            cmd.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
        } else {
            cmd.addAll(List.of("-newkey", "rsa:2048"));
        }
        run(cmd);
        return new Pair(cert, key);
    }

    /** Runs openssl (or any command) and fails with its output if it fails. */
    public static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
    }

    /** A certificate file and its key file. */
    public record Pair(Path cert, Path key) {
    }
}
