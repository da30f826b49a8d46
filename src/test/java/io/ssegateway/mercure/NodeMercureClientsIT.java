package io.ssegateway.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        Processes.Ran install = Processes.run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", SCRIPTS.toString()), Duration.ofMinutes(3));
        assertEquals(0, install.exit(), install.output());
        Path secret = Files.writeString(Files.createTempFile(Path.of("target"), "mercure-secret", ".txt"),
            "a-secret-of-at-least-32-bytes-for-the-node-check");
        try (GatewayProcess gw = GatewayProcess.start("--mercure", "true", "--mercure-url", "https://localhost/.well-known/mercure",
            "--mercure-issuers", "https://localhost", "--auth-hs256-secret-file", secret.toString())) {
            Processes.Ran check = Processes.run(List.of("node", SCRIPTS.resolve("mercure-client-check.js").toString(),
                Integer.toString(gw.port()), secret.toString()), Duration.ofMinutes(1));
            assertEquals(0, check.exit(), check.output());
            assertEquals(4, check.output().lines().filter(l -> l.startsWith("PASS ")).count(), check.output());
        }
    }
}
