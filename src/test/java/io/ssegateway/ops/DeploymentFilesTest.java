package io.ssegateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 4, point 5: the deployment files carry the limits the gateway needs ({@code SystemdUnitIT} runs systemd's own checks). */
class DeploymentFilesTest {

    @Test
    void unitSetsTheLimitsAndTimeoutsTheGatewayNeeds() throws Exception {
        String unit = Files.readString(Path.of("systemd/sse-gateway.service"));
        assertTrue(unit.contains("LimitNOFILE=1048576"));
        assertTrue(unit.contains("ExecStart=/usr/bin/java @/opt/sse-gateway/sse-gateway.args -jar"), "the production profile");
        assertTrue(unit.contains("KillSignal=SIGTERM"));
        assertTrue(unit.contains("Restart=on-failure"));
        assertTrue(unit.contains("EnvironmentFile="));
        int stop = Integer.parseInt(unit.replaceAll("(?s).*TimeoutStopSec=(\\d+).*", "$1"));
        assertTrue(stop > 10, "TimeoutStopSec above the default drain time of 10 s");
        String sysctl = Files.readString(Path.of("systemd/99-sse-gateway.conf"));
        for (String key : new String[] {"fs.file-max", "fs.nr_open", "net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog",
            "net.ipv4.ip_local_port_range", "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_fin_timeout"}) {
            assertTrue(sysctl.contains(key + " ="), key);
        }
    }

    /** Issue 21, point 7: what the unit's Documentation= names is a file the install steps copy. */
    @Test
    void theUnitsDocumentationIsAFileTheInstallStepsCopy() throws Exception {
        String unit = Files.readString(Path.of("systemd/sse-gateway.service"));
        String readme = Files.readString(Path.of("README.md"));
        java.util.regex.Matcher docs = java.util.regex.Pattern.compile("(?m)^Documentation=file://(\\S+)").matcher(unit);
        assertTrue(docs.find(), unit);
        String installed = docs.group(1);
        assertTrue(unit.contains("install -D -m 644 README.md " + installed), "the unit's own install comment copies " + installed);
        assertTrue(readme.contains("sudo install -D -m 644 README.md " + installed), "the README's steps copy " + installed);
    }

    /** Issue 13, point 1: CI runs the README's test command, so what a newcomer copies is what CI proves. */
    @Test
    void ciRunsTheReadmesTestCommandVerbatim() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String command = readme.lines().filter(l -> l.contains("# all tests")).findFirst().orElseThrow()
            .replaceAll("\\s+#.*$", "").trim();
        assertEquals(".ci/install-test-programs && mvn -B verify", command);
        assertTrue(Files.readString(Path.of(".ci/run")).lines().anyMatch(l -> l.trim().equals(command)),
            ".ci/run must run: " + command);
        assertTrue(Files.isExecutable(Path.of(".ci/install-test-programs")));
    }

    /** Issue 13, point 2: one production JVM profile, used by the README's run line, the unit and the bench. */
    @Test
    void theProductionProfileIsOneFileUsedEverywhere() throws Exception {
        List<String> flags = Files.readAllLines(Path.of("jvm/sse-gateway.args")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertTrue(flags.contains("-XX:+UseParallelGC") && flags.contains("-XX:+ExitOnOutOfMemoryError"), flags.toString());
        assertTrue(Files.readString(Path.of("README.md")).contains("java @jvm/sse-gateway.args -jar target/sse-gateway.jar"));
        assertEquals("@jvm/sse-gateway.args", io.ssegateway.server.Main.commandLine().getSubcommands().get("bench")
            .getCommandSpec().findOption("--jvm").defaultValue(), "the bench starts gateways with the profile");
        assertTrue(Files.readString(Path.of("docs/scripts/haproxy-h2-streams.sh")).contains("${GW_JVM:-@jvm/sse-gateway.args}"));
    }
}
