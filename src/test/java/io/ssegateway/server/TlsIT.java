package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Certificates.Pair;
import io.ssegateway.testing.Certificates;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.TestGateway;
import io.ssegateway.testing.TrustingTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and HTTP/2 of {@code java -jar}, met with curl as users meet it: {@code curl -k https://}
 * negotiates h2 or http/1.1 by ALPN, {@code curl --http2-prior-knowledge} speaks h2c to the
 * cleartext port; a bad PEM pair stops start-up naming the file; renewed files are served without
 * a restart.
 */
class TlsIT {
    @TempDir
    Path dir;

    @Test
    void httpsServesStreamsAndPublishOverH2AndHttp11ByAlpn() throws Exception {
        Pair pair = Certificates.create(dir, "node", "rsa", "localhost");
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port, Map.of(),
            List.of("--port", Integer.toString(port), "--host", "127.0.0.1",
                "--tls-cert-file", pair.cert().toString(), "--tls-key-file", pair.key().toString()))) {
            String base = "https://127.0.0.1:" + port;
            awaitCurl(List.of("-k", base + "/health"), gw);
            for (String version : List.of("--http2", "--http1.1")) {
                Process stream = curl(List.of("-k", version, "-N", "--max-time", "3", "-w", "\nversion=%{http_version}\n",
                    base + "/events?topic=tls"));
                Thread.sleep(700);
                String answer = run(List.of("-k", version, "-d", "over " + version, "-w", " %{http_code} %{http_version}",
                    base + "/publish?topic=tls"));
                String expectedVersion = version.equals("--http2") ? "2" : "1.1";
                assertTrue(answer.endsWith(" 200 " + expectedVersion), answer);
                String streamed = output(stream);
                assertTrue(streamed.contains("data: over " + version), streamed);
                assertTrue(streamed.contains("version=" + expectedVersion), streamed);
            }
        }
    }

    @Test
    void theCleartextPortSpeaksH2cWithPriorKnowledge() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start()) {
            Process stream = curl(List.of("--http2-prior-knowledge", "-N", "--max-time", "3", "-w", "\nversion=%{http_version}\n",
                gw.url("/events?topic=h2c")));
            Thread.sleep(700);
            String answer = run(List.of("--http2-prior-knowledge", "-d", "h2c event", "-w", " %{http_code} %{http_version}",
                gw.url("/publish?topic=h2c")));
            assertTrue(answer.endsWith(" 200 2"), answer);
            String streamed = output(stream);
            assertTrue(streamed.contains("data: h2c event") && streamed.contains("version=2"), streamed);
            // HTTP/1.1 on the same port is unchanged.
            assertTrue(run(List.of("--http1.1", "-w", " %{http_version}", gw.url("/health"))).endsWith(" 1.1"));
            // A publisher asking for Upgrade: h2c (curl --http2, the JDK's HttpClient by default) is answered in
            // HTTP/1.1 with its body intact: Jetty's upgrade of a request with a body hangs.
            Process upgraded = curl(List.of("-N", "--max-time", "3", gw.url("/events?topic=upgrade")));
            Thread.sleep(700);
            String upgradeAnswer = run(List.of("--max-time", "5", "--http2", "-d", "asked to upgrade",
                "-w", " %{http_code} %{http_version}", gw.url("/publish?topic=upgrade")));
            assertTrue(upgradeAnswer.endsWith(" 200 1.1"), upgradeAnswer);
            String upgradedStream = output(upgraded);
            assertTrue(upgradedStream.contains("data: asked to upgrade"), upgradedStream);
        }
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateStopsStartupNamingTheFile() throws Exception {
        Pair a = Certificates.create(dir, "a", "rsa", "a.example");
        Pair b = Certificates.create(dir, "b", "rsa", "b.example");
        int port = GatewayProcess.freePort();
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port, Map.of(),
            List.of("--port", Integer.toString(port), "--tls-cert-file", a.cert().toString(), "--tls-key-file", b.key().toString()))) {
            assertTrue(gw.process().waitFor(30, TimeUnit.SECONDS), "start-up must stop");
            assertNotEquals(0, gw.process().exitValue());
            String out = gw.output();
            assertTrue(out.contains(b.key().toString()) && out.contains("does not belong"), out);
            assertTrue(!out.contains("\tat "), "a message, not a stack trace: " + out);
        }
        // Only one of the two files is a configuration mistake too.
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port, Map.of(),
            List.of("--port", Integer.toString(port), "--tls-cert-file", a.cert().toString()))) {
            assertTrue(gw.process().waitFor(30, TimeUnit.SECONDS));
            assertTrue(gw.output().contains("SSE_TLS_KEY_FILE"), gw.output());
        }
    }

    @Test
    void renewedFilesAreServedWithoutARestartAndBrokenOnesAreNot() throws Exception {
        Pair first = Certificates.create(dir, "first", "rsa", "first.example");
        Pair second = Certificates.create(dir, "second", "ec", "second.example");
        Path cert = dir.resolve("live.crt");
        Path key = dir.resolve("live.key");
        Files.copy(first.cert(), cert);
        Files.copy(first.key(), key);
        try (TestGateway gw = TestGateway.start("tls-cert-file", cert.toString(), "tls-key-file", key.toString(),
            "tls-reload-interval", "1s")) {
            assertEquals("CN=first.example", servedSubject(gw.port()));
            // As certbot renews: new files put in place, no signal, no restart.
            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
            awaitSubject(gw.port(), "CN=second.example");
            // A renewal caught halfway (a key that is not the certificate's) changes nothing.
            Files.copy(first.key(), key, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(2500);
            assertEquals("CN=second.example", servedSubject(gw.port()));
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n");
            Thread.sleep(2500);
            assertEquals("CN=second.example", servedSubject(gw.port()));
            // Once the files are right again, the pair is taken.
            Files.copy(first.key(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(first.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
            awaitSubject(gw.port(), "CN=first.example");
        }
    }

    private static void awaitSubject(int port, String subject) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String served = servedSubject(port);
        while (!served.equals(subject) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            served = servedSubject(port);
        }
        assertEquals(subject, served);
    }

    /** The subject of the certificate a new TLS handshake gets. */
    private static String servedSubject(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static void awaitCurl(List<String> args, GatewayProcess gw) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<String> all = new ArrayList<>(List.of("-s", "-o", "/dev/null", "-w", "%{http_code}"));
            all.addAll(args);
            if (output(curl(all)).equals("200")) {
                return;
            }
            if (!gw.process().isAlive()) {
                throw new AssertionError("gateway exited: " + gw.output());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not healthy: " + gw.output());
    }

    private static Process curl(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String run(List<String> args) throws Exception {
        return output(curl(args)).trim();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /**
     * The image's health check on a TLS port: {@code probe} finds the port and the scheme in the
     * gateway's own config file and accepts the gateway's certificate on loopback, whoever signed it
     * (run as its own process, as the container runs it).
     */
    @Test
    void theProbeFollowsTheSettingsToATlsPortWithAnUntrustedCertificate() throws Exception {
        Pair pair = Certificates.create(dir, "probe", "ec", "gateway.example");
        int port = GatewayProcess.freePort();
        Path conf = dir.resolve("gateway.conf");
        Files.writeString(conf, "port = " + port + "\ntls-cert-file = " + pair.cert() + "\ntls-key-file = " + pair.key() + "\n");
        List<String> probe = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
            "target/sse-gateway.jar", "probe", "--config", conf.toString());
        io.ssegateway.testing.Processes.Ran before = io.ssegateway.testing.Processes.run(probe, java.time.Duration.ofSeconds(60));
        assertEquals(1, before.exit(), "nothing listens yet: " + before.output());
        try (GatewayProcess gw = GatewayProcess.launch(System.getProperty("java.home"), port, Map.of(),
            List.of("--config", conf.toString()))) {
            io.ssegateway.testing.Processes.Ran ran = before;
            for (int i = 0; i < 30 && ran.exit() != 0; i++) {
                Thread.sleep(500);
                ran = io.ssegateway.testing.Processes.run(probe, java.time.Duration.ofSeconds(60));
            }
            assertEquals(0, ran.exit(), ran.output() + gw.output());
            assertTrue(ran.output().contains("https://127.0.0.1:" + port + "/health answered 200"), ran.output());
        }
    }
}
