package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Certificates;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sse-gateway probe}, the image's health check: 0 for a 200, 1 for anything else, the port from the settings. */
class ProbeCommandTest {
    private static int probe(String... args) {
        return new CommandLine(new ProbeCommand()).execute(args);
    }

    private static Path config(String text) throws Exception {
        Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "probe-", ".conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void answersZeroForARunningGatewayFoundThroughItsSettingsAndOneOtherwise() throws Exception {
        PrintStream was = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try (TestGateway gw = TestGateway.start()) {
            assertEquals(0, probe("--config", config("port = " + gw.port()).toString()));
            assertEquals(0, probe("--config", config("port = " + gw.port()).toString(), "--path", "/ready"));
            assertEquals(1, probe("--config", config("port = " + gw.port()).toString(), "--path", "/no-such-path"));
            assertEquals(1, probe("--config", config("port = " + GatewayProcess.freePort()).toString()), "nobody listens");
            assertEquals(1, probe("--config", config("prot = 8080").toString()), "a config the gateway would refuse");
        } finally {
            System.setOut(was);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("answered 200") && printed.contains("answered 404") && printed.contains("not ok"), printed);
    }

    /**
     * With a management port the probe asks it (in cleartext, even when the main port speaks TLS):
     * there it is answered while the main port works through a storm.
     */
    @Test
    void asksTheManagementPortWhenThereIsOne() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "probe-tls");
        Certificates.Pair pair = Certificates.create(dir, "probe", "ec", "gateway.example");
        int management = GatewayProcess.freePort();
        PrintStream was = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try (TestGateway gw = TestGateway.startTls(pair, "management-port", Integer.toString(management))) {
            String settings = "port = " + gw.port() + "\nmanagement-port = " + management + "\ntls-cert-file = " + pair.cert()
                + "\ntls-key-file = " + pair.key() + "\n";
            assertEquals(0, probe("--config", config(settings).toString()));
            assertEquals(0, probe("--config", config(settings).toString(), "--path", "/ready"));
        } finally {
            System.setOut(was);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("ok: http://127.0.0.1:" + management + "/health answered 200"), printed);
        assertTrue(printed.contains("ok: http://127.0.0.1:" + management + "/ready answered 200"), printed);
    }
}
