package io.ssegateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's configuration: one value per {@link Setting}, resolved once at start-up.
 *
 * <p>Precedence, highest first: command-line flags, system properties ({@code sse.key}),
 * environment ({@code SSE_KEY}), WAR context init parameters ({@code sse.key}), the default.
 * Every getter validates its value; {@link #validate()} runs all of them so that a bad value
 * stops start-up with a {@link ConfigException} naming the key and its source.
 */
public final class GatewayConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final Map<Setting, String> values = new EnumMap<>(Setting.class);
    private final Map<Setting, String> origins = new EnumMap<>(Setting.class);

    private GatewayConfig() {
    }

    /**
     * Resolves every setting from the given sources.
     *
     * @param flags      command-line values by {@link Setting#key()}; may be empty
     * @param env        environment lookup, normally {@code System::getenv}
     * @param initParams WAR init-parameter lookup by {@link Setting#propertyName()}; may return null
     */
    public static GatewayConfig resolve(Map<String, String> flags, Function<String, String> env,
                                        Function<String, String> initParams) {
        Objects.requireNonNull(flags, "flags");
        GatewayConfig config = new GatewayConfig();
        for (Setting s : Setting.values()) {
            String value;
            String origin;
            if (flags.get(s.key()) != null) {
                value = flags.get(s.key());
                origin = "--" + s.key();
            } else if (System.getProperty(s.propertyName()) != null) {
                value = System.getProperty(s.propertyName());
                origin = "system property " + s.propertyName();
            } else if (env.apply(s.envName()) != null) {
                value = env.apply(s.envName());
                origin = s.envName();
            } else if (initParams.apply(s.propertyName()) != null) {
                value = initParams.apply(s.propertyName());
                origin = "init parameter " + s.propertyName();
            } else {
                value = s.defaultValue();
                origin = "default of " + s.envName();
            }
            config.values.put(s, value.trim());
            config.origins.put(s, origin);
        }
        return config.validate();
    }

    /** Defaults overridden by the given key/value pairs only (no environment): for tests and tools. */
    public static GatewayConfig of(Map<String, String> values) {
        return resolve(values, name -> null, name -> null);
    }

    /** Reads every value once so that any invalid one fails now, naming its key. */
    public GatewayConfig validate() {
        port();
        host();
        if (heartbeat().compareTo(Duration.ofSeconds(1)) < 0 || heartbeat().compareTo(Duration.ofHours(1)) > 0) {
            throw invalid(Setting.HEARTBEAT, "must be between 1s and 1h");
        }
        retry();
        if (idleTimeout().compareTo(heartbeat()) <= 0) {
            throw invalid(Setting.IDLE_TIMEOUT, "must be longer than heartbeat (" + raw(Setting.HEARTBEAT) + ")");
        }
        historyMaxEvents();
        historyMaxAge();
        queueMaxBytes();
        slowConsumer();
        maxStreams();
        fdReserve();
        requiredStreams();
        maxTopics();
        maxBodyBytes();
        drainTimeout();
        shutdownRetryJitter();
        pumpThreads();
        redisUrl();
        redisSentinels();
        redisReplicasAck();
        maxStreamsPerClient();
        maxHeaderBytes();
        authClockSkew();
        requestHeadTimeout();
        for (Setting file : List.of(Setting.AUTH_HS256_SECRET_FILE, Setting.AUTH_PUBLIC_KEY_FILE, Setting.AUTH_JWKS_FILE)) {
            if (!raw(file).isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(raw(file)))) {
                throw invalid(file, "is not a readable file");
            }
        }
        if (!list(Setting.PRIVATE_TOPICS).isEmpty() && !hasAuthKey()) {
            throw invalid(Setting.PRIVATE_TOPICS, "needs a key to verify subscriber tokens (SSE_AUTH_HS256_SECRET_FILE, "
                + "SSE_AUTH_PUBLIC_KEY_FILE or SSE_AUTH_JWKS_FILE)");
        }
        if (!redisSentinels().isEmpty() && raw(Setting.REDIS_MASTER).isEmpty()) {
            throw invalid(Setting.REDIS_MASTER, "must name the Sentinel primary");
        }
        return this;
    }

    public int port() {
        return intIn(Setting.PORT, 0, 65535);
    }

    public String host() {
        String host = raw(Setting.HOST);
        if (host.isEmpty()) {
            throw invalid(Setting.HOST, "must not be empty");
        }
        return host;
    }

    public Duration heartbeat() {
        return duration(Setting.HEARTBEAT);
    }

    public Duration retry() {
        return duration(Setting.RETRY);
    }

    public Duration idleTimeout() {
        return duration(Setting.IDLE_TIMEOUT);
    }

    public int historyMaxEvents() {
        return intIn(Setting.HISTORY_MAX_EVENTS, 0, 10_000_000);
    }

    public Duration historyMaxAge() {
        return duration(Setting.HISTORY_MAX_AGE);
    }

    public int queueMaxBytes() {
        return intIn(Setting.QUEUE_MAX_BYTES, 1024, 1 << 30);
    }

    public SlowConsumerPolicy slowConsumer() {
        String value = raw(Setting.SLOW_CONSUMER).toLowerCase(Locale.ROOT);
        for (SlowConsumerPolicy p : SlowConsumerPolicy.values()) {
            if (p.configName().equals(value)) {
                return p;
            }
        }
        throw invalid(Setting.SLOW_CONSUMER, "must be close or drop-oldest");
    }

    /** The configured maximum, or 0 when it is to be derived from the open-file limit. */
    public int maxStreams() {
        return intIn(Setting.MAX_STREAMS, 0, Integer.MAX_VALUE);
    }

    public int requiredStreams() {
        return intIn(Setting.REQUIRED_STREAMS, 0, Integer.MAX_VALUE);
    }

    public int fdReserve() {
        return intIn(Setting.FD_RESERVE, 16, 1_000_000);
    }

    public int maxTopics() {
        return intIn(Setting.MAX_TOPICS, 1, 1024);
    }

    public int maxBodyBytes() {
        return intIn(Setting.MAX_BODY_BYTES, 0, 16 << 20);
    }

    public Duration drainTimeout() {
        return duration(Setting.DRAIN_TIMEOUT);
    }

    public Duration shutdownRetryJitter() {
        return duration(Setting.SHUTDOWN_RETRY_JITTER);
    }

    /** Pump threads, with 0 resolved to one per core (at least 2). */
    public int pumpThreads() {
        int n = intIn(Setting.PUMP_THREADS, 0, 256);
        return n > 0 ? n : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** The Redis URL, or null for the in-memory broker (unless Sentinels are configured). */
    public URI redisUrl() {
        String value = raw(Setting.REDIS_URL);
        if (value.isEmpty()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid(Setting.REDIS_URL, "is not a URI");
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw invalid(Setting.REDIS_URL, "must start with redis:// or rediss://");
        }
        if (uri.getHost() == null) {
            throw invalid(Setting.REDIS_URL, "must name a host");
        }
        return uri;
    }

    /** Sentinel addresses as {@code host:port}; empty when Sentinel is not used. */
    public List<String> redisSentinels() {
        String value = raw(Setting.REDIS_SENTINELS);
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String hostPort = part.trim();
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || !hostPort.substring(colon + 1).matches("\\d{1,5}")) {
                throw invalid(Setting.REDIS_SENTINELS, "must be host:port[,host:port…]");
            }
            out.add(hostPort);
        }
        return out;
    }

    /** True if some key to verify JWTs is configured. */
    public boolean hasAuthKey() {
        return !raw(Setting.AUTH_HS256_SECRET_FILE).isEmpty() || !raw(Setting.AUTH_PUBLIC_KEY_FILE).isEmpty()
            || !raw(Setting.AUTH_JWKS_FILE).isEmpty();
    }

    /** A comma-separated setting as a list of trimmed, non-empty items. */
    public List<String> list(Setting setting) {
        List<String> out = new ArrayList<>();
        for (String item : raw(setting).split(",")) {
            if (!item.isBlank()) {
                out.add(item.trim());
            }
        }
        return out;
    }

    public Duration authClockSkew() {
        Duration d = duration(Setting.AUTH_CLOCK_SKEW);
        if (d.compareTo(Duration.ofMinutes(5)) > 0) {
            throw invalid(Setting.AUTH_CLOCK_SKEW, "must be at most 5m");
        }
        return d;
    }

    public Duration requestHeadTimeout() {
        Duration d = duration(Setting.REQUEST_HEAD_TIMEOUT);
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(5)) > 0) {
            throw invalid(Setting.REQUEST_HEAD_TIMEOUT, "must be between 1s and 5m");
        }
        return d;
    }

    public int maxStreamsPerClient() {
        return intIn(Setting.MAX_STREAMS_PER_CLIENT, 0, 1_000_000);
    }

    public int maxHeaderBytes() {
        return intIn(Setting.MAX_HEADER_BYTES, 1024, 1 << 20);
    }

    public int redisReplicasAck() {
        return intIn(Setting.REDIS_REPLICAS_ACK, 0, 16);
    }

    public String redisMaster() {
        return raw(Setting.REDIS_MASTER);
    }

    /** The raw, trimmed value of a setting. */
    public String raw(Setting setting) {
        return values.get(setting);
    }

    /** A copy with one value replaced: for the embedded server's chosen port and for tests. */
    public GatewayConfig with(Setting setting, String value) {
        GatewayConfig copy = new GatewayConfig();
        copy.values.putAll(values);
        copy.origins.putAll(origins);
        copy.values.put(setting, value);
        copy.origins.put(setting, "override");
        return copy.validate();
    }

    private int intIn(Setting s, int min, int max) {
        String value = raw(s);
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(s, "must be a whole number");
        }
        if (n < min || n > max) {
            throw invalid(s, "must be between " + min + " and " + max);
        }
        return (int) n;
    }

    private Duration duration(Setting s) {
        Matcher m = DURATION.matcher(raw(s).toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(s, "must be a duration such as 500ms, 25s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero() && s != Setting.SHUTDOWN_RETRY_JITTER && s != Setting.AUTH_CLOCK_SKEW) {
            throw invalid(s, "must be greater than 0");
        }
        return d;
    }

    private ConfigException invalid(Setting s, String why) {
        return new ConfigException("invalid " + s.envName() + " (from " + origins.get(s) + "): '"
            + raw(s) + "' " + why);
    }
}
