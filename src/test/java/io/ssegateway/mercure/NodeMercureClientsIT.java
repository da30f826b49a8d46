package io.ssegateway.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.GatewayProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, point 7: {@code docs/scripts/mercure-client-check.js} runs as docs/mercure.md says
 * ({@code npm ci} beside it, then node), with npm's own Mercure publisher and Node EventSource,
 * against the real jar.
 */
class NodeMercureClientsIT {
    private static final Path SCRIPTS = Path.of("docs/scripts");

    @Test
    void theDocumentedThirdPartyClientCheckPassesAgainstTheJar() throws Exception {
        Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", SCRIPTS.toString()), 180);
        assertEquals(0, install.exit(), install.output());
        Path secret = Files.writeString(Files.createTempFile(Path.of("target"), "mercure-secret", ".txt"),
            "a-secret-of-at-least-32-bytes-for-the-node-check");
        try (GatewayProcess gw = GatewayProcess.start("--mercure", "true", "--mercure-url", "https://localhost/.well-known/mercure",
            "--mercure-issuers", "https://localhost", "--auth-hs256-secret-file", secret.toString())) {
            Run check = run(List.of("node", SCRIPTS.resolve("mercure-client-check.js").toString(),
                Integer.toString(gw.port()), secret.toString()), 60);
            assertEquals(0, check.exit(), check.output());
            assertEquals(4, check.output().lines().filter(l -> l.startsWith("PASS ")).count(), check.output());
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, int seconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, String.join(" ", command) + " did not end within " + seconds + " s");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
