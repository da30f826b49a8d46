package io.ssegateway.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Every configuration key of the gateway, declared once: its group, default, type (parser and
 * allowed range) and documentation. Parsing, validation, the flags and {@code --help}, and the
 * README's configuration table all come from these declarations (a test keeps the README equal).
 *
 * <p>A key {@code heartbeat} is read, in this order of precedence, from the command-line flag
 * {@code --heartbeat}, the system property {@code sse.heartbeat}, the environment variable
 * {@code SSE_HEARTBEAT}, the line {@code heartbeat = …} of the {@code --config} file and the WAR
 * context init parameter {@code sse.heartbeat}.
 */
public enum Setting {
    PORT("port", Group.SERVER, "8080", SettingType.integer(0, 65535),
        "TCP port of the embedded server (jar only); 0 picks a free port."),
    HOST("host", Group.SERVER, "0.0.0.0", SettingType.required(),
        "Address the embedded server binds to (jar only)."),
    MANAGEMENT_PORT("management-port", Group.SERVER, "", SettingType.optionalPort(),
        "A second port of the embedded server, on `host`, that answers only `/health`, `/ready` and `/metrics`, with threads of its own: health checks and scrapes are answered at once while the main port works through a reconnect storm (Kubernetes probes, HAProxy checks, Prometheus). Cleartext HTTP/1.1. Empty: off; 0 picks a free port (jar only)."),
    HEARTBEAT("heartbeat", Group.STREAMS, "25s", SettingType.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
        "Interval of heartbeat comments; keeps proxies from closing idle streams and finds dead peers. 1s to 1h."),
    RETRY("retry", Group.STREAMS, "3s", SettingType.duration(Duration.ofMillis(1), Duration.ofHours(1)),
        "Reconnect delay sent to clients as the `retry:` field."),
    IDLE_TIMEOUT("idle-timeout", Group.SERVER, "120s", SettingType.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
        "Connection idle timeout of the embedded server; must exceed the heartbeat. Bounds how long a client that stopped reading holds its socket."),
    HISTORY_MAX_EVENTS("history-max-events", Group.HISTORY, "1000", SettingType.integer(0, 10_000_000),
        "Events kept per topic for resume (Last-Event-ID)."),
    HISTORY_MAX_AGE("history-max-age", Group.HISTORY, "1h", SettingType.duration(Duration.ofMillis(1), Duration.ofDays(365)),
        "Age after which an event leaves a topic's history."),
    QUEUE_MAX_BYTES("queue-max-bytes", Group.STREAMS, "262144", SettingType.integer(1024, 1 << 30),
        "Bytes that may wait for one slow client before the slow-consumer policy applies."),
    SLOW_CONSUMER("slow-consumer", Group.STREAMS, "close", SettingType.slowConsumerPolicy(),
        "What happens when a client's queue is full: `close` (it reconnects and resumes from history) or `drop-oldest` (oldest frames are dropped and a `gap` event says so)."),
    MAX_STREAMS("max-streams", Group.LIMITS, "0", SettingType.integer(0, Integer.MAX_VALUE),
        "Most concurrent streams; 0 derives it from the open-file limit minus `fd-reserve`."),
    REQUIRED_STREAMS("required-streams", Group.LIMITS, "0", SettingType.integer(0, Integer.MAX_VALUE),
        "Streams this node must be able to hold; if the open-file limit cannot, start-up fails with the fix for systemd, the shell and containers. 0: no requirement."),
    FD_RESERVE("fd-reserve", Group.LIMITS, "256", SettingType.integer(16, 1_000_000),
        "File descriptors kept free for publishers, broker connections (Redis or NATS), logs and class loading when `max-streams` is derived."),
    MAX_TOPICS("max-topics", Group.STREAMS, "32", SettingType.integer(1, 1024),
        "Most `topic` parameters on one stream."),
    MAX_BODY_BYTES("max-body-bytes", Group.LIMITS, "65536", SettingType.integer(0, 16 << 20),
        "Largest publish body; larger ones get 413."),
    DRAIN_TIMEOUT("drain-timeout", Group.SHUTDOWN, "10s", SettingType.duration(Duration.ofMillis(1), Duration.ofHours(1)),
        "How long shutdown waits for streams to take their `server-shutdown` event before closing them."),
    SHUTDOWN_RETRY_JITTER("shutdown-retry-jitter", Group.SHUTDOWN, "10s", SettingType.duration(Duration.ZERO, Duration.ofHours(1)),
        "Upper bound of the random `retry:` sent at shutdown, so clients do not all reconnect at once."),
    PUMP_THREADS("pump-threads", Group.STREAMS, "0", SettingType.integer(0, 256),
        "Threads that write to client sockets when a producer wakes an idle stream; 0 means one per core (at least 2)."),
    REDIS_URL("redis-url", Group.REDIS, "", SettingType.redisUrl(),
        "Redis for many nodes: `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). Empty: in-memory broker, one node. With `redis-sentinels`, only its user, password, database and scheme are used."),
    REDIS_SENTINELS("redis-sentinels", Group.REDIS, "", SettingType.hostPorts(),
        "Redis Sentinel addresses `host:port,host:port`; the gateway follows the primary named by `redis-master` through failovers."),
    REDIS_MASTER("redis-master", Group.REDIS, "mymaster", SettingType.text(),
        "Sentinel name of the Redis primary."),
    AUTH_HS256_SECRET_FILE("auth-hs256-secret-file", Group.AUTH, "", SettingType.readableFile(),
        "File holding the HS256 secret (at least 32 bytes) that publisher and subscriber JWTs are signed with. With no key configured only loopback clients may publish."),
    AUTH_PUBLIC_KEY_FILE("auth-public-key-file", Group.AUTH, "", SettingType.readableFile(),
        "PEM public key (RSA for RS256, EC P-256 for ES256) that verifies JWTs."),
    AUTH_JWKS_FILE("auth-jwks-file", Group.AUTH, "", SettingType.readableFile(),
        "JWK Set file whose keys verify JWTs (RS256, ES256 or HS256), chosen by the token's `kid`."),
    AUTH_ISSUER("auth-issuer", Group.AUTH, "", SettingType.text(),
        "If set, tokens must carry this `iss`."),
    AUTH_AUDIENCE("auth-audience", Group.AUTH, "", SettingType.text(),
        "If set, tokens must carry this `aud`."),
    PRIVATE_TOPICS("private-topics", Group.AUTH, "", SettingType.list(),
        "Comma-separated topic patterns (`*` within a segment, `**` across `/`) that need a subscriber token whose `subscribe` claim allows them."),
    TOKEN_COOKIE("token-cookie", Group.AUTH, "sse_token", SettingType.required(),
        "Cookie that may carry the subscriber token (browsers' EventSource cannot set headers)."),
    CORS_ORIGINS("cors-origins", Group.AUTH, "", SettingType.list(),
        "Comma-separated origins allowed to use the gateway from a browser, with credentials; `*` allows any origin without credentials. Empty: no CORS headers."),
    MAX_STREAMS_PER_CLIENT("max-streams-per-client", Group.LIMITS, "0", SettingType.integer(0, 1_000_000),
        "Most streams one client address may hold; 0 is no limit."),
    TRUSTED_PROXIES("trusted-proxies", Group.AUTH, "", SettingType.list(),
        "Comma-separated proxy addresses whose `X-Forwarded-For` names the client address; from any other peer the header is ignored."),
    MAX_HEADER_BYTES("max-header-bytes", Group.SERVER, "8192", SettingType.integer(1024, 1 << 20),
        "Largest request head (request line and headers) the embedded server accepts; larger gets 431."),
    AUTH_CLOCK_SKEW("auth-clock-skew", Group.AUTH, "5s", SettingType.duration(Duration.ZERO, Duration.ofMinutes(5)),
        "Clock difference tolerated when checking a token's `exp`; a subscriber's stream ends at `exp` plus this, and a token that would keep a stream open for less than 1 s gets 401 `token-expired`. 0s to 5m."),
    REQUEST_HEAD_TIMEOUT("request-head-timeout", Group.SERVER, "10s", SettingType.duration(Duration.ofSeconds(1), Duration.ofMinutes(5)),
        "Time a new connection has to send a complete request head before the embedded server closes it, so slow or half-open connections never hold a connection slot or a thread for long. 1s to 5m."),
    REDIS_REPLICAS_ACK("redis-replicas-ack", Group.REDIS, "0", SettingType.integer(0, 16),
        "Replicas that must hold an event (Redis `WAIT`, up to 1 s) before a publish answers 200; otherwise 503. Set 1 with Sentinel so that a failover never loses an acknowledged event."),
    TLS_CERT_FILE("tls-cert-file", Group.TLS, "", SettingType.readableFile(),
        "PEM certificate chain (leaf first) of the embedded server; with `tls-key-file` the port serves HTTPS with ALPN `h2` and `http/1.1` (jar only). Without both, the port serves cleartext HTTP/1.1 and HTTP/2 (h2c)."),
    TLS_KEY_FILE("tls-key-file", Group.TLS, "", SettingType.readableFile(),
        "PEM private key of `tls-cert-file` (unencrypted PKCS#8 `BEGIN PRIVATE KEY`, or PKCS#1 `BEGIN RSA PRIVATE KEY`)."),
    TLS_RELOAD_INTERVAL("tls-reload-interval", Group.TLS, "10s", SettingType.duration(Duration.ofSeconds(1), Duration.ofHours(24)),
        "How often the certificate and key files are checked for change; a changed pair that loads and matches is used for new connections without a restart, a broken one is logged and the old pair kept."),
    PAGE("page", Group.OPERATIONS, "true", SettingType.bool(),
        "Serve the demo page and dashboard at `/`. Turn it off in production: the shipped systemd environment file does."),
    METRICS("metrics", Group.OPERATIONS, "true", SettingType.bool(),
        "Serve Prometheus metrics at `/metrics` (and so the dashboard's numbers)."),
    LOG_FORMAT("log-format", Group.LOGGING, "text", SettingType.oneOf("text", "json"),
        "Log lines as `text` (timestamp with zone offset, level, thread, logger, message) or `json` (one JSON object per line, for log shippers); on standard error (jar only)."),
    LOG_LEVEL("log-level", Group.LOGGING, "info", SettingType.oneOf("trace", "debug", "info", "warn", "error"),
        "Level of every logger not named in `log-levels` (jar only)."),
    LOG_LEVELS("log-levels", Group.LOGGING, "", SettingType.loggerLevels("trace", "debug", "info", "warn", "error", "off"),
        "Levels per package or class, e.g. `io.ssegateway.stream=debug,org.eclipse.jetty=warn` (jar only)."),
    ACCESS_LOG("access-log", Group.LOGGING, "false", SettingType.bool(),
        "Log one line per request (logger `access`): client, method, path without the query string (which may carry a token), protocol, status, bytes and time; a stream's line is written when it ends (jar only; about 1.1 KB more heap per HTTP/2 stream: see Logs)."),
    BROKER("broker", Group.BROKER, "auto", SettingType.oneOf("auto", "memory", "redis", "nats"),
        "Where events are stored and how they reach other nodes: `memory` (one node), `redis`, `nats` (JetStream), or `auto`: Redis when `redis-url` or `redis-sentinels` is set, NATS when `nats-url` is, else memory."),
    NATS_URL("nats-url", Group.NATS, "", SettingType.natsUrls(),
        "NATS servers: `nats://host:4222[,nats://host2:4222…]`, with `user:password@` or `token@` before the host if the servers want them, or `tls://…` for TLS; the client also follows the servers the cluster announces."),
    NATS_STREAM("nats-stream", Group.NATS, "sse", SettingType.required(),
        "JetStream stream that holds the events; its subjects are `<nats-stream>.<topic, percent-encoded>`. Created at start if missing; an existing stream with other limits stops start-up with the difference."),
    NATS_REPLICAS("nats-replicas", Group.NATS, "1", SettingType.integer(1, 5),
        "Replicas of the stream (3 in a JetStream cluster: an acknowledged publish survives the loss of one server)."),
    NATS_CREDS_FILE("nats-creds-file", Group.NATS, "", SettingType.readableFile(),
        "NATS credentials file (user JWT and NKey seed, as `nsc` and Synadia Cloud make them)."),
    NATS_CA_FILE("nats-ca-file", Group.NATS, "", SettingType.readableFile(),
        "PEM certificates that verify the NATS servers' TLS certificates (instead of the JVM's trust store), for `tls://` URLs."),
    MERCURE("mercure", Group.MERCURE, "false", SettingType.bool(),
        "Serve the Mercure protocol at `/.well-known/mercure` (subscribe with GET, publish with POST) beside the native API, on the same hub, broker and history."),
    MERCURE_URL("mercure-url", Group.MERCURE, "", SettingType.text(),
        "The hub's public URL, ending in `/.well-known/mercure`: the `aud` Mercure tokens must carry (their resource identifier) and the base relative topics and URL patterns resolve against. Required with an auth key; empty: `https://localhost/.well-known/mercure`."),
    MERCURE_ISSUERS("mercure-issuers", Group.MERCURE, "", SettingType.list(),
        "Comma-separated `iss` values accepted in Mercure tokens (an authorization server, or the publisher that signs its own tokens); their signatures are checked with the auth key. Required with an auth key."),
    MERCURE_LEGACY("mercure-legacy", Group.MERCURE, "false", SettingType.bool(),
        "Also accept pre-standard Mercure clients (Symfony, API Platform): tokens with a `mercure` claim of `publish`/`subscribe` selectors (any `typ`, no `aud`/`iss` needed), `topic` selectors (exact or URI template), `lastEventID`, the `mercureAuthorization` cookie and the `authorization` query parameter; the cursor is sent as `Last-Event-ID` too."),
    MERCURE_SUBSCRIPTIONS("mercure-subscriptions", Group.MERCURE, "false", SettingType.bool(),
        "Publish Mercure subscription events (a private update of type `mercure` when a subscription starts or ends) and serve the subscription API at `/.well-known/mercure/subscriptions`, listing every node's subscriptions (memory and Redis brokers). Each subscription then costs a publish when it starts and when it ends."),
    MERCURE_COOKIE("mercure-cookie", Group.MERCURE, "__Secure-mercure_access_token", SettingType.required(),
        "Cookie that may carry a Mercure access token when no `Authorization` header is sent (a browser's EventSource)."),
    H2_MAX_CONCURRENT_STREAMS("h2-max-concurrent-streams", Group.TLS, "1000", SettingType.integer(1, 1_000_000),
        "HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS` of the embedded server: streams one connection may hold open. A browser shares one connection per origin across all its tabs, and a proxy speaking h2 to the gateway multiplexes many clients on one connection."),
    JVM_PROFILE("jvm-profile", Group.SERVER, "auto", SettingType.oneOf("auto", "off"),
        "`auto`: `java -jar sse-gateway.jar` started without heap or collector flags runs the gateway in a second JVM started with the production profile (`jvm/sse-gateway.args`, about half the memory per stream), and waits for it, passing signals on. `off`: run in this JVM as started (jar only)."),
    WARM_UP("warm-up", Group.SERVER, "false", SettingType.bool(),
        "`true`: after it starts listening, the node runs its own stream paths on a throwaway node on loopback (10,000 HTTP/2 streams and sixteen rounds of up to 2,000 HTTP/1.1 streams, with events) and answers `/ready` with 503 until that is done (about 15 s on two cores, at most 60 s), so that the JIT has compiled them when a balancer sends it traffic. Clients that connect anyway are served, and the first of them ends the warm-up at once. The systemd environment file, the image and the Kubernetes manifest set it (jar only)."),
    AOT_CACHE("aot-cache", Group.SERVER, "", SettingType.text(),
        "The JVM's ahead-of-time cache (JDK 25 and later) that `java -jar sse-gateway.jar aot-cache` makes and the launcher of a plain `java -jar` passes to the gateway's JVM when the file exists: classes and method profiles from a warm-up run, so that a fresh node compiles its stream paths sooner. Empty: `sse-gateway.aot` beside the jar (jar only).");

    /** The concern a setting belongs to: one immutable settings value per group. */
    public enum Group {
        SERVER("Embedded server"),
        STREAMS("Streams"),
        HISTORY("History"),
        LIMITS("Capacity and limits"),
        SHUTDOWN("Shutdown"),
        BROKER("Broker"),
        REDIS("Redis"),
        NATS("NATS JetStream"),
        MERCURE("Mercure"),
        AUTH("Security"),
        TLS("TLS and HTTP/2"),
        OPERATIONS("Operations"),
        LOGGING("Logging");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    private final String key;
    private final Group group;
    private final String defaultValue;
    @SuppressWarnings("ImmutableEnumChecker") // its parsers are stateless functions
    private final SettingType<?> type;
    private final String description;

    Setting(String key, Group group, String defaultValue, SettingType<?> type, String description) {
        this.key = key;
        this.group = group;
        this.defaultValue = defaultValue;
        this.type = type;
        this.description = description;
    }

    /** The key as written in flags ({@code --key}) and init parameters ({@code sse.key}). */
    public String key() {
        return key;
    }

    public Group group() {
        return group;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public SettingType<?> type() {
        return type;
    }

    public String description() {
        return description;
    }

    /** {@code SSE_HEARTBEAT} for {@code heartbeat}. */
    public String envName() {
        return "SSE_" + key.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code sse.heartbeat} for {@code heartbeat}: system property and WAR init parameter name. */
    public String propertyName() {
        return "sse." + key;
    }

    /** This setting's row of the README's configuration table. */
    public String readmeRow() {
        return "| `--" + key + "` | `" + envName() + "` | `" + defaultValue + "` | " + description + " |";
    }
}
