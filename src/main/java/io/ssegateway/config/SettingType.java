package io.ssegateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a setting's text becomes its value: the parser and the allowed range, in one place. A value
 * outside the rule throws {@link IllegalArgumentException} whose message says what is allowed;
 * {@link GatewayConfig} adds the key and where the value came from.
 *
 * @param <T>  the value's type
 * @param rule what is allowed, for messages and documentation ("a duration from 1s to 1h")
 */
public record SettingType<T>(String rule, Function<String, T> parser) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}");

    /** Parses {@code text} (already trimmed). */
    public T parse(String text) {
        return parser.apply(text);
    }

    /** {@code true} or {@code false} (also {@code on}/{@code off}, {@code yes}/{@code no}, any case). */
    public static SettingType<Boolean> bool() {
        return new SettingType<>("true or false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> Boolean.TRUE;
            case "false", "off", "no" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("must be true or false");
        });
    }

    /** One of {@code choices}, any case; the value is the choice in lower case. */
    public static SettingType<String> oneOf(String... choices) {
        List<String> allowed = List.of(choices);
        return new SettingType<>("one of " + String.join(", ", allowed), text -> {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
            }
            return lower;
        });
    }

    /**
     * Comma-separated {@code logger=level} pairs ({@code io.ssegateway.stream=debug,org.eclipse.jetty=warn});
     * a logger named twice keeps its last level.
     */
    public static SettingType<Map<String, String>> loggerLevels(String... levels) {
        List<String> allowed = List.of(levels);
        return new SettingType<>("logger=level pairs, comma-separated, levels " + String.join(", ", allowed), text -> {
            Map<String, String> out = new HashMap<>();
            if (text.isEmpty()) {
                return out;
            }
            for (String pair : text.split(",")) {
                int eq = pair.indexOf('=');
                String logger = eq < 0 ? "" : pair.substring(0, eq).trim();
                String level = eq < 0 ? "" : pair.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
                if (logger.isEmpty() || !allowed.contains(level)) {
                    throw new IllegalArgumentException("'" + pair.trim() + "' is not logger=level with a level of "
                        + String.join(", ", allowed));
                }
                out.put(logger, level);
            }
            return out;
        });
    }

    /** A whole number from {@code min} to {@code max}. */
    public static SettingType<Integer> integer(int min, int max) {
        return new SettingType<>("a whole number from " + min + " to " + max, text -> {
            long n;
            try {
                n = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return (int) n;
        });
    }

    /** A TCP port from 0 (any free port) to 65535, or empty (null: none). */
    public static SettingType<Integer> optionalPort() {
        SettingType<Integer> port = integer(0, 65535);
        return new SettingType<>("empty or a port from 0 to 65535", text -> text.isEmpty() ? null : port.parse(text));
    }

    /** A duration such as {@code 500ms}, {@code 25s}, {@code 5m} or {@code 1h}, from {@code min} to {@code max}. */
    public static SettingType<Duration> duration(Duration min, Duration max) {
        return new SettingType<>("a duration from " + show(min) + " to " + show(max), text -> {
            Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("must be a duration such as 500ms, 25s, 5m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be between " + show(min) + " and " + show(max));
            }
            return d;
        });
    }

    /** Any text, possibly empty. */
    public static SettingType<String> text() {
        return new SettingType<>("text", text -> text);
    }

    /** Text that must not be empty. */
    public static SettingType<String> required() {
        return new SettingType<>("text, not empty", text -> {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return text;
        });
    }

    /** Comma-separated items, trimmed, empty ones dropped. */
    public static SettingType<List<String>> list() {
        return new SettingType<>("a comma-separated list", text -> {
            List<String> out = new ArrayList<>();
            for (String item : text.split(",", -1)) {
                if (!item.isBlank()) {
                    out.add(item.trim());
                }
            }
            return List.copyOf(out);
        });
    }

    /** {@code host:port[,host:port…]}, or empty. */
    public static SettingType<List<String>> hostPorts() {
        return new SettingType<>("host:port[,host:port…]", text -> {
            List<String> out = list().parse(text);
            for (String hostPort : out) {
                if (!HOST_PORT.matcher(hostPort).matches()) {
                    throw new IllegalArgumentException("must be host:port[,host:port…]");
                }
            }
            return out;
        });
    }

    /** A {@code redis://} or {@code rediss://} URL naming a host, or empty (null). */
    public static SettingType<URI> redisUrl() {
        return new SettingType<>("redis://[user:password@]host:port[/db] or rediss://…", text -> {
            if (text.isEmpty()) {
                return null;
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("is not a URI");
            }
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("must start with redis:// or rediss://");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("must name a host");
            }
            return uri;
        });
    }

    /**
     * Comma-separated NATS server URLs ({@code nats://} or {@code tls://}, each naming a host, with
     * optional {@code user:password@} or {@code token@}), or empty.
     */
    public static SettingType<List<String>> natsUrls() {
        return new SettingType<>("nats://[user:password@ or token@]host:port[,…] or tls://…", text -> {
            List<String> out = list().parse(text);
            for (String url : out) {
                URI uri;
                try {
                    uri = new URI(url);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("'" + url + "' is not a URI");
                }
                if (!"nats".equals(uri.getScheme()) && !"tls".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("'" + url + "' must start with nats:// or tls://");
                }
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("'" + url + "' must name a host");
                }
            }
            return out;
        });
    }

    /** A readable file, or empty (null). */
    public static SettingType<Path> readableFile() {
        return new SettingType<>("a readable file", text -> {
            if (text.isEmpty()) {
                return null;
            }
            Path path = Path.of(text);
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException("is not a readable file");
            }
            return path;
        });
    }

    /** One of the slow-consumer policies' names. */
    public static SettingType<SlowConsumerPolicy> slowConsumerPolicy() {
        return new SettingType<>("close or drop-oldest", text -> {
            for (SlowConsumerPolicy p : SlowConsumerPolicy.values()) {
                if (p.configName().equals(text.toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new IllegalArgumentException("must be close or drop-oldest");
        });
    }

    private static String show(Duration d) {
        if (d.toMillis() % 3_600_000 == 0 && !d.isZero()) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
