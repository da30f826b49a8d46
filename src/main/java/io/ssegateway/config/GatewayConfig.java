package io.ssegateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The gateway's configuration, resolved once at start-up into immutable values grouped by concern
 * ({@link #server()}, {@link #streams()}, {@link #history()}, {@link #limits()}, {@link #shutdown()},
 * {@link #redis()}, {@link #auth()}, {@link #tls()}, {@link #operations()}, {@link #logging()}), which the rest of the code takes.
 *
 * <p>Precedence, highest first: command-line flags, system properties ({@code sse.key}),
 * environment ({@code SSE_KEY}), the {@code --config} file ({@code key = value}), WAR context init
 * parameters ({@code sse.key}), the default. Each value is parsed by its {@link Setting}'s type; a
 * bad value, or an {@code SSE_*} variable, {@code sse.*} property, file key or init parameter that
 * names no setting (a typo would otherwise be ignored silently), stops start-up with a
 * {@link ConfigException} naming the key and its source.
 *
 * <p>Why one class of this size: resolution by precedence, the cross-setting rules (which hold
 * between settings of different groups) and the typed groups' construction read one map of
 * resolved texts and name the same sources in their errors; split apart, each part would pass
 * that map and its origins around. The per-setting declarations themselves live in {@link Setting}.
 */
public final class GatewayConfig {
    private static final Pattern NATS_STREAM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private final Map<Setting, String> texts;
    private final Map<Setting, String> origins;
    private final ServerSettings server;
    private final StreamSettings streams;
    private final HistorySettings history;
    private final LimitSettings limits;
    private final ShutdownSettings shutdown;
    private final BrokerKind broker;
    private final RedisSettings redis;
    private final NatsSettings nats;
    private final MercureSettings mercure;
    private final AuthSettings auth;
    private final TlsSettings tls;
    private final OperationSettings operations;
    private final LogSettings logging;

    private GatewayConfig(Map<Setting, String> texts, Map<Setting, String> origins) {
        this.texts = texts;
        this.origins = origins;
        Map<Setting, Object> v = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            try {
                v.put(s, s.type().parse(texts.get(s)));
            } catch (IllegalArgumentException e) {
                throw invalid(s, e.getMessage());
            }
        }
        Function<Setting, Object> get = v::get;
        Integer managementPort = (Integer) get.apply(Setting.MANAGEMENT_PORT);
        server = new ServerSettings(i(get, Setting.PORT), s(get, Setting.HOST),
            managementPort == null ? OptionalInt.empty() : OptionalInt.of(managementPort), d(get, Setting.IDLE_TIMEOUT),
            i(get, Setting.MAX_HEADER_BYTES), d(get, Setting.REQUEST_HEAD_TIMEOUT), "auto".equals(get.apply(Setting.JVM_PROFILE)),
            (Boolean) get.apply(Setting.WARM_UP), s(get, Setting.AOT_CACHE));
        int pumps = i(get, Setting.PUMP_THREADS);
        streams = new StreamSettings(d(get, Setting.HEARTBEAT), d(get, Setting.RETRY), i(get, Setting.QUEUE_MAX_BYTES),
            (SlowConsumerPolicy) get.apply(Setting.SLOW_CONSUMER), i(get, Setting.MAX_TOPICS),
            pumps > 0 ? pumps : Math.max(2, Runtime.getRuntime().availableProcessors()));
        history = new HistorySettings(i(get, Setting.HISTORY_MAX_EVENTS), d(get, Setting.HISTORY_MAX_AGE));
        limits = new LimitSettings(i(get, Setting.MAX_STREAMS), i(get, Setting.REQUIRED_STREAMS), i(get, Setting.FD_RESERVE),
            i(get, Setting.MAX_BODY_BYTES), i(get, Setting.MAX_STREAMS_PER_CLIENT));
        shutdown = new ShutdownSettings(d(get, Setting.DRAIN_TIMEOUT), d(get, Setting.SHUTDOWN_RETRY_JITTER));
        redis = new RedisSettings((URI) get.apply(Setting.REDIS_URL), list(get, Setting.REDIS_SENTINELS),
            s(get, Setting.REDIS_MASTER), i(get, Setting.REDIS_REPLICAS_ACK));
        nats = new NatsSettings(list(get, Setting.NATS_URL), s(get, Setting.NATS_STREAM), i(get, Setting.NATS_REPLICAS),
            (Path) get.apply(Setting.NATS_CREDS_FILE), (Path) get.apply(Setting.NATS_CA_FILE));
        broker = chooseBroker(s(get, Setting.BROKER));
        auth = new AuthSettings((Path) get.apply(Setting.AUTH_HS256_SECRET_FILE), (Path) get.apply(Setting.AUTH_PUBLIC_KEY_FILE),
            (Path) get.apply(Setting.AUTH_JWKS_FILE), s(get, Setting.AUTH_ISSUER), s(get, Setting.AUTH_AUDIENCE),
            d(get, Setting.AUTH_CLOCK_SKEW), list(get, Setting.PRIVATE_TOPICS), s(get, Setting.TOKEN_COOKIE),
            list(get, Setting.CORS_ORIGINS), list(get, Setting.TRUSTED_PROXIES));
        tls = new TlsSettings((Path) get.apply(Setting.TLS_CERT_FILE), (Path) get.apply(Setting.TLS_KEY_FILE),
            d(get, Setting.TLS_RELOAD_INTERVAL), i(get, Setting.H2_MAX_CONCURRENT_STREAMS));
        mercure = new MercureSettings((Boolean) get.apply(Setting.MERCURE), mercureUrl(s(get, Setting.MERCURE_URL)),
            list(get, Setting.MERCURE_ISSUERS), s(get, Setting.MERCURE_COOKIE), (Boolean) get.apply(Setting.MERCURE_LEGACY),
            (Boolean) get.apply(Setting.MERCURE_SUBSCRIPTIONS));
        operations = new OperationSettings((Boolean) get.apply(Setting.PAGE), (Boolean) get.apply(Setting.METRICS));
        @SuppressWarnings("unchecked")
        Map<String, String> levels = (Map<String, String>) get.apply(Setting.LOG_LEVELS);
        logging = new LogSettings(s(get, Setting.LOG_FORMAT).equals("json"), s(get, Setting.LOG_LEVEL), levels,
            (Boolean) get.apply(Setting.ACCESS_LOG));
        checkTogether();
    }

    /**
     * Resolves every setting from the given sources.
     *
     * @param flags            command-line values by {@link Setting#key()}
     * @param systemProperties system properties ({@code sse.key})
     * @param env              the environment ({@code SSE_KEY})
     * @param initParams       WAR context init parameters ({@code sse.key})
     */
    public static GatewayConfig resolve(Map<String, String> flags, Map<String, String> systemProperties,
                                        Map<String, String> env, Map<String, String> initParams) {
        return resolve(flags, ConfigFile.NONE, systemProperties, env, initParams);
    }

    /**
     * Resolves every setting from the given sources, a configuration file among them: flags, system
     * properties, environment, the file, init parameters, defaults, in that order of precedence.
     *
     * @param file the {@code --config} file's values ({@link ConfigFile#NONE} without one)
     */
    public static GatewayConfig resolve(Map<String, String> flags, ConfigFile file, Map<String, String> systemProperties,
                                        Map<String, String> env, Map<String, String> initParams) {
        Objects.requireNonNull(flags, "flags");
        // Kubernetes puts these in every pod: they are neither settings nor typos.
        Map<String, String> settingsEnv = ServiceLinks.setAside(env, "SSE_");
        settingsEnv.remove(ConfigFile.ENV);
        UnknownNames.check(systemProperties, "sse.", "system property", Setting::propertyName);
        UnknownNames.check(settingsEnv, "SSE_", "environment variable", Setting::envName);
        UnknownNames.check(initParams, "sse.", "init parameter", Setting::propertyName);
        Map<Setting, String> texts = new EnumMap<>(Setting.class);
        Map<Setting, String> origins = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String value;
            String origin;
            if (flags.get(s.key()) != null) {
                value = flags.get(s.key());
                origin = "--" + s.key();
            } else if (systemProperties.get(s.propertyName()) != null) {
                value = systemProperties.get(s.propertyName());
                origin = "system property " + s.propertyName();
            } else if (settingsEnv.get(s.envName()) != null) {
                value = settingsEnv.get(s.envName());
                origin = s.envName();
            } else if (file.values().get(s.key()) != null) {
                value = file.values().get(s.key());
                origin = s.key() + " in " + file.name();
            } else if (initParams.get(s.propertyName()) != null) {
                value = initParams.get(s.propertyName());
                origin = "init parameter " + s.propertyName();
            } else {
                value = s.defaultValue();
                origin = "default of " + s.envName();
            }
            texts.put(s, value.trim());
            origins.put(s, origin);
        }
        return new GatewayConfig(texts, origins);
    }

    /** The JVM's system properties as a map, for {@link #resolve}. */
    public static Map<String, String> systemProperties() {
        Properties props = System.getProperties();
        Map<String, String> out = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            out.put(name, props.getProperty(name));
        }
        return out;
    }

    /** Defaults overridden by the given key/value pairs only (no environment, no properties): for tests and tools. */
    public static GatewayConfig of(Map<String, String> values) {
        return resolve(values, Map.of(), Map.of(), Map.of());
    }

    /** A copy with one value replaced: for the embedded server's chosen port and for tests. */
    public GatewayConfig with(Setting setting, String value) {
        Map<Setting, String> t = new EnumMap<>(texts);
        Map<Setting, String> o = new EnumMap<>(origins);
        t.put(setting, value);
        o.put(setting, "override");
        return new GatewayConfig(t, o);
    }

    public ServerSettings server() {
        return server;
    }

    public StreamSettings streams() {
        return streams;
    }

    public HistorySettings history() {
        return history;
    }

    public LimitSettings limits() {
        return limits;
    }

    public ShutdownSettings shutdown() {
        return shutdown;
    }

    /** The broker to use, {@code auto} resolved. */
    public BrokerKind broker() {
        return broker;
    }

    public MercureSettings mercure() {
        return mercure;
    }

    public NatsSettings nats() {
        return nats;
    }

    public RedisSettings redis() {
        return redis;
    }

    public AuthSettings auth() {
        return auth;
    }

    public TlsSettings tls() {
        return tls;
    }

    public OperationSettings operations() {
        return operations;
    }

    public LogSettings logging() {
        return logging;
    }

    /** The settings that shape a node's behaviour, as given, for the start-up log. */
    public String summary() {
        return "heartbeat " + texts.get(Setting.HEARTBEAT) + ", history " + texts.get(Setting.HISTORY_MAX_EVENTS)
            + " events / " + texts.get(Setting.HISTORY_MAX_AGE) + ", queue " + texts.get(Setting.QUEUE_MAX_BYTES)
            + " bytes, slow consumers: " + texts.get(Setting.SLOW_CONSUMER) + ", drain " + texts.get(Setting.DRAIN_TIMEOUT);
    }

    /** Resolves {@code auto} and refuses a broker without its servers, or servers of two brokers. */
    private BrokerKind chooseBroker(String choice) {
        boolean redisSet = redis.enabled();
        boolean natsSet = !nats.urls().isEmpty();
        switch (choice) {
            case "memory":
                return BrokerKind.MEMORY;
            case "redis":
                if (!redisSet) {
                    throw invalid(Setting.BROKER, "needs SSE_REDIS_URL or SSE_REDIS_SENTINELS");
                }
                if (natsSet) {
                    throw invalid(Setting.BROKER, "is redis, but SSE_NATS_URL is set too: remove one");
                }
                return BrokerKind.REDIS;
            case "nats":
                if (!natsSet) {
                    throw invalid(Setting.BROKER, "needs SSE_NATS_URL (nats://host:4222)");
                }
                if (redisSet) {
                    throw invalid(Setting.BROKER, "is nats, but SSE_REDIS_URL or SSE_REDIS_SENTINELS is set too: remove one");
                }
                if (!NATS_STREAM_NAME.matcher(nats.stream()).matches()) {
                    throw invalid(Setting.NATS_STREAM, "must be 1-32 characters of A-Z a-z 0-9 _ - (it is also the subjects' first token)");
                }
                if (history.maxEvents() == 0) {
                    throw invalid(Setting.HISTORY_MAX_EVENTS, "must be at least 1 with broker nats (JetStream reads 0 as no limit)");
                }
                return BrokerKind.NATS;
            default:
                if (redisSet && natsSet) {
                    throw invalid(Setting.BROKER, "is auto, but both Redis and NATS are configured: set SSE_BROKER to redis or nats");
                }
                return natsSet ? chooseBroker("nats") : redisSet ? BrokerKind.REDIS : BrokerKind.MEMORY;
        }
    }

    /** Rules that involve more than one setting. */
    private void checkTogether() {
        if (server.idleTimeout().compareTo(streams.heartbeat()) <= 0) {
            throw invalid(Setting.IDLE_TIMEOUT, "must be longer than heartbeat (" + texts.get(Setting.HEARTBEAT) + ")");
        }
        if (server.managementPort().orElse(0) != 0 && server.managementPort().getAsInt() == server.port()) {
            throw invalid(Setting.MANAGEMENT_PORT, "must differ from port (" + server.port() + ")");
        }
        if (!auth.privateTopics().isEmpty() && !auth.hasKey()) {
            throw invalid(Setting.PRIVATE_TOPICS, "needs a key to verify subscriber tokens (SSE_AUTH_HS256_SECRET_FILE, "
                + "SSE_AUTH_PUBLIC_KEY_FILE or SSE_AUTH_JWKS_FILE)");
        }
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            Setting missing = tls.certFile() == null ? Setting.TLS_CERT_FILE : Setting.TLS_KEY_FILE;
            throw invalid(missing, "must be set together with " + (missing == Setting.TLS_CERT_FILE
                ? Setting.TLS_KEY_FILE : Setting.TLS_CERT_FILE).envName());
        }
        if (!redis.sentinels().isEmpty() && redis.master().isEmpty()) {
            throw invalid(Setting.REDIS_MASTER, "must name the Sentinel primary");
        }
        if (mercure.enabled() && auth.hasKey()) {
            if (texts.get(Setting.MERCURE_URL).isEmpty()) {
                throw invalid(Setting.MERCURE_URL, "must be set with an auth key: it is the aud Mercure tokens carry, "
                    + "e.g. https://hub.example.com/.well-known/mercure");
            }
            if (mercure.issuers().isEmpty()) {
                throw invalid(Setting.MERCURE_ISSUERS, "must name the iss of Mercure tokens (with an auth key)");
            }
        }
    }

    /** The hub URL: absolute, ending in the path the gateway serves Mercure at. */
    private URI mercureUrl(String text) {
        if (text.isEmpty()) {
            return MercureSettings.DEFAULT_URL;
        }
        try {
            URI uri = new URI(text);
            if (uri.isAbsolute() && uri.getHost() != null && MercureSettings.PATH.equals(uri.getPath())
                && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw invalid(Setting.MERCURE_URL, "must be an absolute URL whose path is " + MercureSettings.PATH);
    }

    private ConfigException invalid(Setting s, String why) {
        return new ConfigException("invalid " + s.envName() + " (from " + origins.get(s) + "): '" + texts.get(s) + "' " + why);
    }

    private static int i(Function<Setting, Object> get, Setting s) {
        return (Integer) get.apply(s);
    }

    private static Duration d(Function<Setting, Object> get, Setting s) {
        return (Duration) get.apply(s);
    }

    private static String s(Function<Setting, Object> get, Setting s) {
        return (String) get.apply(s);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Function<Setting, Object> get, Setting s) {
        return (List<String>) get.apply(s);
    }
}
