package io.ssegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.ServiceLinkVariables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Point 9 of the core issue: one configuration from flags, environment and init parameters. */
class GatewayConfigTest {

    @Test
    void flagsBeatEnvironmentWhichBeatsInitParametersWhichBeatDefaults() {
        Map<String, String> env = Map.of("SSE_HEARTBEAT", "10s", "SSE_RETRY", "4s");
        Map<String, String> init = Map.of("sse.heartbeat", "20s", "sse.retry", "5s", "sse.max-topics", "7");
        GatewayConfig c = GatewayConfig.resolve(Map.of("heartbeat", "2s"), Map.of(), env, init);
        assertEquals(Duration.ofSeconds(2), c.streams().heartbeat(), "flag");
        assertEquals(Duration.ofSeconds(4), c.streams().retry(), "environment");
        assertEquals(7, c.streams().maxTopics(), "init parameter");
        assertEquals(1000, c.history().maxEvents(), "default");
    }

    @Test
    void systemPropertiesSitBetweenFlagsAndEnvironment() {
        GatewayConfig c = GatewayConfig.resolve(Map.of(), Map.of("sse.retry", "7s"), Map.of("SSE_RETRY", "4s"), Map.of());
        assertEquals(Duration.ofSeconds(7), c.streams().retry());
        GatewayConfig flag = GatewayConfig.resolve(Map.of("retry", "1s"), Map.of("sse.retry", "7s"), Map.of(), Map.of());
        assertEquals(Duration.ofSeconds(1), flag.streams().retry());
    }

    @Test
    void invalidValuesStopStartupWithAMessageNamingTheKeyAndItsSource() {
        ConfigException e = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), Map.of(), Map.of("SSE_HEARTBEAT", "soon"), Map.of()));
        assertTrue(e.getMessage().contains("SSE_HEARTBEAT") && e.getMessage().contains("soon"), e.getMessage());
        assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("port", "70000")));
        assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("slow-consumer", "ignore")));
        assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("heartbeat", "500ms")));
        ConfigException idle = assertThrows(ConfigException.class,
            () -> GatewayConfig.of(Map.of("heartbeat", "30s", "idle-timeout", "20s")));
        assertTrue(idle.getMessage().contains("SSE_IDLE_TIMEOUT"), idle.getMessage());
        ConfigException init = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), Map.of(), Map.of(), Map.of("sse.queue-max-bytes", "-1")));
        assertTrue(init.getMessage().contains("init parameter sse.queue-max-bytes"), init.getMessage());
    }

    @Test
    void durationsAcceptMillisecondsSecondsMinutesAndHours() {
        GatewayConfig c = GatewayConfig.of(Map.of("retry", "250ms", "drain-timeout", "2m", "history-max-age", "3h"));
        assertEquals(Duration.ofMillis(250), c.streams().retry());
        assertEquals(Duration.ofMinutes(2), c.shutdown().drainTimeout());
        assertEquals(Duration.ofHours(3), c.history().maxAge());
    }

    /** broker=auto picks what is configured; a broker without its servers, or two brokers, stop start-up. */
    @Test
    void theBrokerIsChosenByItsServersAndAContradictionStopsStartUp() {
        assertEquals(BrokerKind.MEMORY, GatewayConfig.of(Map.of()).broker());
        assertEquals(BrokerKind.REDIS, GatewayConfig.of(Map.of("redis-url", "redis://r:6379")).broker());
        assertEquals(BrokerKind.NATS, GatewayConfig.of(Map.of("nats-url", "nats://n:4222")).broker());
        GatewayConfig nats = GatewayConfig.of(Map.of("broker", "nats", "nats-url", "nats://a:4222, tls://t0k3n@b:4222",
            "nats-replicas", "3", "nats-stream", "events_2"));
        assertEquals(List.of("nats://a:4222", "tls://t0k3n@b:4222"), nats.nats().urls());
        assertEquals(3, nats.nats().replicas());
        assertEquals("events_2", nats.nats().stream());
        assertEquals(BrokerKind.MEMORY, GatewayConfig.of(Map.of("broker", "memory", "nats-url", "nats://n:4222")).broker(),
            "memory on purpose, whatever else is set");
        List<Map<String, String>> refused = List.of(
            Map.of("broker", "nats"),
            Map.of("broker", "redis"),
            Map.of("broker", "nats", "nats-url", "nats://n:4222", "redis-url", "redis://r:6379"),
            Map.of("redis-url", "redis://r:6379", "nats-url", "nats://n:4222"),
            Map.of("nats-url", "http://n:4222"),
            Map.of("nats-url", "nats://"),
            Map.of("nats-url", "nats://n:4222", "nats-stream", "sse.events"),
            Map.of("nats-url", "nats://n:4222", "history-max-events", "0"),
            Map.of("nats-url", "nats://n:4222", "nats-replicas", "7"));
        for (Map<String, String> settings : refused) {
            ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.of(settings), settings.toString());
            assertTrue(e.getMessage().startsWith("invalid SSE_"), e.getMessage());
        }
        ConfigException both = assertThrows(ConfigException.class,
            () -> GatewayConfig.of(Map.of("redis-url", "redis://r:6379", "nats-url", "nats://n:4222")));
        assertTrue(both.getMessage().contains("set SSE_BROKER to redis or nats"), both.getMessage());
    }

    /** The README's configuration table is the declarations, row for row, in their order. */
    @Test
    void readmeTableIsTheSettingsDeclarations() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
            .filter(l -> l.startsWith("| `--")).toList();
        List<String> declared = java.util.Arrays.stream(Setting.values()).map(Setting::readmeRow).toList();
        assertEquals(String.join("\n", declared), String.join("\n", rows),
            "paste the declared rows into README.md's configuration table");
    }

    /** A typo in a name is refused with the closest real name, from each source, rather than ignored. */
    @Test
    void aNameThatIsNoSettingStopsStartupWithTheClosestName() {
        ConfigException env = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), Map.of(), Map.of("SSE_HEARTBAET", "10s", "PATH", "/bin"), Map.of()));
        assertTrue(env.getMessage().contains("SSE_HEARTBAET") && env.getMessage().contains("did you mean SSE_HEARTBEAT?"),
            env.getMessage());
        ConfigException prop = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), Map.of("sse.hearbeat", "10s"), Map.of(), Map.of()));
        assertTrue(prop.getMessage().contains("did you mean sse.heartbeat?"), prop.getMessage());
        ConfigException init = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), Map.of(), Map.of(), Map.of("sse.max-topic", "3")));
        assertTrue(init.getMessage().contains("init parameter sse.max-topic") && init.getMessage().contains("sse.max-topics"),
            init.getMessage());
        ConfigException far = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), Map.of(), Map.of("SSE_SOMETHING_ELSE", "1"), Map.of()));
        assertTrue(!far.getMessage().contains("did you mean"), far.getMessage());
        // Names outside the gateway's namespace are not ours to judge.
        GatewayConfig.resolve(Map.of(), Map.of("java.version", "17", "user.dir", "/"), Map.of("HOME", "/root"),
            Map.of("org.eclipse.jetty.servlet.Default.dirAllowed", "false"));
    }

    /** The shipped systemd environment file names only settings, with valid values. */
    @Test
    void theShippedEnvironmentFileResolves() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("systemd/sse-gateway.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        GatewayConfig c = GatewayConfig.resolve(Map.of(), Map.of(), env, Map.of());
        assertEquals(Duration.ofSeconds(25), c.streams().heartbeat());
    }

    /** Each setting's type parses its default, so every default is valid by construction. */
    @Test
    void everyDefaultParsesWithItsType() {
        for (Setting s : Setting.values()) {
            s.type().parse(s.defaultValue());
        }
    }

    /** Issue 13, point 4: the --config file goes through the same typed settings, below flags, properties and environment. */
    @Test
    void aConfigFileIsReadByTheSameSettingsWithItsPlaceInThePrecedence() throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "gateway", ".conf");
        Files.writeString(file, "# a node's configuration\nheartbeat = 7s\nretry: 2s\nhistory-max-events=50\n");
        ConfigFile conf = ConfigFile.read(file);
        GatewayConfig fromFile = GatewayConfig.resolve(Map.of(), conf, Map.of(), Map.of(), Map.of());
        assertEquals(java.time.Duration.ofSeconds(7), fromFile.streams().heartbeat());
        assertEquals(50, fromFile.history().maxEvents());
        GatewayConfig overridden = GatewayConfig.resolve(Map.of("retry", "1s"), conf, Map.of(), Map.of("SSE_HEARTBEAT", "9s"),
            Map.of("sse.history-max-events", "5"));
        assertEquals(java.time.Duration.ofSeconds(9), overridden.streams().heartbeat(), "the environment overrides the file");
        assertEquals(java.time.Duration.ofSeconds(1), overridden.streams().retry(), "a flag overrides the file");
        assertEquals(50, overridden.history().maxEvents(), "the file overrides init parameters");

        Files.writeString(file, "heartbaet = 7s\n");
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigFile.read(file));
        assertTrue(unknown.getMessage().contains(file.toString()) && unknown.getMessage().contains("did you mean heartbeat?"),
            unknown.getMessage());
        Files.writeString(file, "heartbeat = soon\n");
        ConfigException bad = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), ConfigFile.read(file), Map.of(), Map.of(), Map.of()));
        assertTrue(bad.getMessage().contains("heartbeat in " + file), bad.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigFile.read(Path.of("target/no-such.conf")));
        assertTrue(missing.getMessage().contains("no-such.conf"), missing.getMessage());
    }

    @Test
    void kubernetesServiceLinksOfServicesNamedSseAndSseGatewayAreIgnoredNotRefusedNorRead() {
        Map<String, String> env = new java.util.HashMap<>(ServiceLinkVariables.of("sse", "10.96.0.10", 9090));
        env.putAll(ServiceLinkVariables.of("sse-gateway", "10.96.0.12", 8080));
        env.putAll(ServiceLinkVariables.of("redis", "10.96.0.13", 6379));
        env.put("SSE_HEARTBEAT", "7s");
        GatewayConfig c = GatewayConfig.resolve(Map.of(), Map.of(), env, Map.of());
        assertEquals(8080, c.server().port(), "SSE_PORT=tcp://… is a service link, not the port");
        assertEquals(Duration.ofSeconds(7), c.streams().heartbeat(), "real settings beside them still apply");

        env.put("SSE_PORT", "9000");
        assertEquals(9000, GatewayConfig.resolve(Map.of(), Map.of(), env, Map.of()).server().port());
        env.put("SSE_HEARTBAET", "9s");
        ConfigException typo = assertThrows(ConfigException.class, () -> GatewayConfig.resolve(Map.of(), Map.of(), env, Map.of()));
        assertTrue(typo.getMessage().contains("SSE_HEARTBAET"), typo.getMessage());
        env.remove("SSE_HEARTBAET");
        env.put("SSE_PORT", "tcp:/10.0.0.1");
        assertThrows(ConfigException.class, () -> GatewayConfig.resolve(Map.of(), Map.of(), env, Map.of()),
            "a value that is not a link's URL is read as the setting, and refused");
    }

    @Test
    void theManagementPortIsOffByDefaultAndMustDifferFromThePort() {
        assertTrue(GatewayConfig.of(Map.of()).server().managementPort().isEmpty());
        assertEquals(9090, GatewayConfig.of(Map.of("management-port", "9090")).server().managementPort().getAsInt());
        assertEquals(0, GatewayConfig.of(Map.of("management-port", "0", "port", "0")).server().managementPort().getAsInt(),
            "two free ports, each picked by the system");
        ConfigException same = assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("management-port", "8080")));
        assertTrue(same.getMessage().contains("must differ from port (8080)"), same.getMessage());
        for (String bad : new String[] {"http", "65536", "-1"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("management-port", bad)));
            assertTrue(e.getMessage().contains("management-port"), e.getMessage());
        }
        Map<String, String> env = new java.util.HashMap<>(ServiceLinkVariables.of("sse-management", "10.96.0.14", 9090));
        assertTrue(GatewayConfig.resolve(Map.of(), Map.of(), env, Map.of()).server().managementPort().isEmpty(),
            "a Service named sse-management sets SSE_MANAGEMENT_PORT=tcp://…: a link, not the setting");
        env.put("SSE_MANAGEMENT_PORT", "9091");
        assertEquals(9091, GatewayConfig.resolve(Map.of(), Map.of(), env, Map.of()).server().managementPort().getAsInt());
    }

    @Test
    void noSettingsVariableHasTheShapeOfAServiceLink() {
        for (Setting s : Setting.values()) {
            assertFalse(ServiceLinks.isLink(s.envName(), "8080"), s.envName());
        }
    }
}
