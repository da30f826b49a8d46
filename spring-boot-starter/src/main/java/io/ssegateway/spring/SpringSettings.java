package io.ssegateway.spring;

import io.ssegateway.config.ConfigFile;
import io.ssegateway.config.GatewayConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The gateway's settings in a Spring application: every {@code sse.<setting>} property of the
 * application's own configuration ({@code application.yml}, {@code application.properties},
 * profiles, {@code --sse.heartbeat=5s} arguments), with the names the jar's flags have
 * ({@code sse.max-streams}, not {@code sse.maxStreams}), checked by the gateway's typed settings:
 * a name that is no setting or a value out of range stops start-up with the reason.
 *
 * <p>The environment ({@code SSE_*}) and system properties ({@code -Dsse.*}) are read by the gateway
 * itself, as in the jar and the WAR, and take precedence over the application's files, as Spring's
 * own environment does.
 */
final class SpringSettings {
    static final String PREFIX = "sse.";
    /** Sources the gateway reads itself, and Spring's view of all sources together. */
    private static final Set<String> SKIPPED = Set.of(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, "configurationProperties");

    private SpringSettings() {
    }

    static GatewayConfig resolve(ConfigurableEnvironment environment) {
        Map<String, String> values = new HashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (SKIPPED.contains(source.getName()) || !(source instanceof EnumerablePropertySource<?> names)) {
                continue;
            }
            for (String name : names.getPropertyNames()) {
                if (name.startsWith(PREFIX)) {
                    // The first source that has it wins: Spring lists sources by precedence.
                    values.putIfAbsent(name.substring(PREFIX.length()), environment.getProperty(name));
                }
            }
        }
        ConfigFile spring = ConfigFile.checked("the application's sse.* properties", values);
        return GatewayConfig.resolve(Map.of(), spring, GatewayConfig.systemProperties(), System.getenv(), Map.of());
    }
}
