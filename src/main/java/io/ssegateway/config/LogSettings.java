package io.ssegateway.config;

import java.util.Map;

/**
 * Logging of the embedded server (the jar only; a WAR's container has its own).
 *
 * @param json      one JSON object per line instead of text
 * @param level     the level of every logger not in {@code levels}
 * @param levels    levels by logger (package or class) name
 * @param accessLog one line per request on the {@code access} logger
 */
public record LogSettings(boolean json, String level, Map<String, String> levels, boolean accessLog) {
    public LogSettings {
        levels = Map.copyOf(levels);
    }
}
