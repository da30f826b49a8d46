package io.ssegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Point 9 of the core issue: one configuration from flags, environment and init parameters. */
class GatewayConfigTest {

    @Test
    void flagsBeatEnvironmentWhichBeatsInitParametersWhichBeatDefaults() {
        Map<String, String> env = Map.of("SSE_HEARTBEAT", "10s", "SSE_RETRY", "4s");
        Map<String, String> init = Map.of("sse.heartbeat", "20s", "sse.retry", "5s", "sse.max-topics", "7");
        GatewayConfig c = GatewayConfig.resolve(Map.of("heartbeat", "2s"), env::get, init::get);
        assertEquals(Duration.ofSeconds(2), c.heartbeat(), "flag");
        assertEquals(Duration.ofSeconds(4), c.retry(), "environment");
        assertEquals(7, c.maxTopics(), "init parameter");
        assertEquals(1000, c.historyMaxEvents(), "default");
    }

    @Test
    void systemPropertiesSitBetweenFlagsAndEnvironment() {
        System.setProperty("sse.retry", "7s");
        try {
            GatewayConfig c = GatewayConfig.resolve(Map.of(), Map.of("SSE_RETRY", "4s")::get, n -> null);
            assertEquals(Duration.ofSeconds(7), c.retry());
        } finally {
            System.clearProperty("sse.retry");
        }
    }

    @Test
    void invalidValuesStopStartupWithAMessageNamingTheKeyAndItsSource() {
        ConfigException e = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), Map.of("SSE_HEARTBEAT", "soon")::get, n -> null));
        assertTrue(e.getMessage().contains("SSE_HEARTBEAT") && e.getMessage().contains("soon"), e.getMessage());
        assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("port", "70000")));
        assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("slow-consumer", "ignore")));
        assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("heartbeat", "500ms")));
        ConfigException idle = assertThrows(ConfigException.class,
            () -> GatewayConfig.of(Map.of("heartbeat", "30s", "idle-timeout", "20s")));
        assertTrue(idle.getMessage().contains("SSE_IDLE_TIMEOUT"), idle.getMessage());
        ConfigException init = assertThrows(ConfigException.class,
            () -> GatewayConfig.resolve(Map.of(), n -> null, Map.of("sse.queue-max-bytes", "-1")::get));
        assertTrue(init.getMessage().contains("init parameter sse.queue-max-bytes"), init.getMessage());
    }

    @Test
    void durationsAcceptMillisecondsSecondsMinutesAndHours() {
        GatewayConfig c = GatewayConfig.of(Map.of("retry", "250ms", "drain-timeout", "2m", "history-max-age", "3h"));
        assertEquals(Duration.ofMillis(250), c.retry());
        assertEquals(Duration.ofMinutes(2), c.drainTimeout());
        assertEquals(Duration.ofHours(3), c.historyMaxAge());
    }

    @Test
    void readmeDocumentsEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Setting s : Setting.values()) {
            assertTrue(readme.contains("`" + s.envName() + "`"), "README lacks " + s.envName());
            assertTrue(readme.contains("`--" + s.key() + "`"), "README lacks --" + s.key());
        }
    }
}
