package io.ssegateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The systemd unit as systemd itself judges it, with Debian's systemd-analyze (an outside program,
 * so an integration test; .ci/install-test-programs installs it).
 */
class SystemdUnitIT {

    @Test
    void systemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
            "systemd-analyze is not installed (.ci/install-test-programs installs systemd)");
        Process p = new ProcessBuilder("systemd-analyze", "verify", Path.of("systemd/sse-gateway.service").toAbsolutePath().toString())
            .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        // verify also checks the unit's user and binary on this machine; only errors about the unit itself count.
        String unitErrors = out.lines().filter(l -> l.contains("sse-gateway.service") && !l.contains("Failed to resolve user")
            && !l.contains("/opt/sse-gateway")).reduce("", (a, b) -> a + b + "\n");
        assertEquals("", unitErrors, out);
    }

    /** Issue 13, point 6: the unit is sandboxed to an exposure of 3.0 or less as systemd itself rates it. */
    @Test
    void unitIsHardenedToAnExposureOfThreeOrLess() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
            "systemd-analyze is not installed (.ci/install-test-programs installs systemd)");
        Process p = new ProcessBuilder("systemd-analyze", "security", "--offline=true",
            Path.of("systemd/sse-gateway.service").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Overall exposure level for sse-gateway.service: ([0-9.]+)")
            .matcher(out);
        assertTrue(m.find(), out);
        double exposure = Double.parseDouble(m.group(1));
        assertTrue(exposure <= 3.0, "exposure " + exposure + ":\n" + out);
    }
}
