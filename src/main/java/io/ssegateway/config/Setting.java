package io.ssegateway.config;

import java.util.Locale;

/**
 * Every configuration key of the gateway, with its default and its documentation.
 *
 * <p>A key {@code heartbeat} is read, in this order of precedence, from the command-line flag
 * {@code --heartbeat}, the system property {@code sse.heartbeat}, the environment variable
 * {@code SSE_HEARTBEAT} and the WAR context init parameter {@code sse.heartbeat}. The README's
 * configuration table lists exactly these keys (a test keeps the two in step).
 */
public enum Setting {
    PORT("port", "8080", "TCP port of the embedded server (jar only); 0 picks a free port."),
    HOST("host", "0.0.0.0", "Address the embedded server binds to (jar only)."),
    HEARTBEAT("heartbeat", "25s", "Interval of heartbeat comments; keeps proxies from closing idle streams and finds dead peers. 1s to 1h."),
    RETRY("retry", "3s", "Reconnect delay sent to clients as the `retry:` field."),
    IDLE_TIMEOUT("idle-timeout", "120s", "Connection idle timeout of the embedded server; must exceed the heartbeat. Bounds how long a client that stopped reading holds its socket."),
    HISTORY_MAX_EVENTS("history-max-events", "1000", "Events kept per topic for resume (Last-Event-ID)."),
    HISTORY_MAX_AGE("history-max-age", "1h", "Age after which an event leaves a topic's history."),
    QUEUE_MAX_BYTES("queue-max-bytes", "262144", "Bytes that may wait for one slow client before the slow-consumer policy applies."),
    SLOW_CONSUMER("slow-consumer", "close", "What happens when a client's queue is full: `close` (it reconnects and resumes from history) or `drop-oldest` (oldest frames are dropped and a `gap` event says so)."),
    MAX_STREAMS("max-streams", "0", "Most concurrent streams; 0 derives it from the open-file limit minus `fd-reserve`."),
    REQUIRED_STREAMS("required-streams", "0", "Streams this node must be able to hold; if the open-file limit cannot, start-up fails with the fix for systemd, the shell and containers. 0: no requirement."),
    FD_RESERVE("fd-reserve", "256", "File descriptors kept free for publishers, Redis, logs and class loading when `max-streams` is derived."),
    MAX_TOPICS("max-topics", "32", "Most `topic` parameters on one stream."),
    MAX_BODY_BYTES("max-body-bytes", "65536", "Largest publish body; larger ones get 413."),
    DRAIN_TIMEOUT("drain-timeout", "10s", "How long shutdown waits for streams to take their `server-shutdown` event before closing them."),
    SHUTDOWN_RETRY_JITTER("shutdown-retry-jitter", "10s", "Upper bound of the random `retry:` sent at shutdown, so clients do not all reconnect at once."),
    PUMP_THREADS("pump-threads", "0", "Threads that write to client sockets when a producer wakes an idle stream; 0 means one per core (at least 2)."),
    REDIS_URL("redis-url", "", "Redis for many nodes: `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). Empty: in-memory broker, one node. With `redis-sentinels`, only its user, password, database and scheme are used."),
    REDIS_SENTINELS("redis-sentinels", "", "Redis Sentinel addresses `host:port,host:port`; the gateway follows the primary named by `redis-master` through failovers."),
    REDIS_MASTER("redis-master", "mymaster", "Sentinel name of the Redis primary."),
    AUTH_HS256_SECRET_FILE("auth-hs256-secret-file", "", "File holding the HS256 secret (at least 32 bytes) that publisher and subscriber JWTs are signed with. With no key configured only loopback clients may publish."),
    AUTH_PUBLIC_KEY_FILE("auth-public-key-file", "", "PEM public key (RSA for RS256, EC P-256 for ES256) that verifies JWTs."),
    AUTH_JWKS_FILE("auth-jwks-file", "", "JWK Set file whose keys verify JWTs (RS256, ES256 or HS256), chosen by the token's `kid`."),
    AUTH_ISSUER("auth-issuer", "", "If set, tokens must carry this `iss`."),
    AUTH_AUDIENCE("auth-audience", "", "If set, tokens must carry this `aud`."),
    PRIVATE_TOPICS("private-topics", "", "Comma-separated topic patterns (`*` within a segment, `**` across `/`) that need a subscriber token whose `subscribe` claim allows them."),
    TOKEN_COOKIE("token-cookie", "sse_token", "Cookie that may carry the subscriber token (browsers' EventSource cannot set headers)."),
    CORS_ORIGINS("cors-origins", "", "Comma-separated origins allowed to use the gateway from a browser, with credentials; `*` allows any origin without credentials. Empty: no CORS headers."),
    MAX_STREAMS_PER_CLIENT("max-streams-per-client", "0", "Most streams one client address may hold; 0 is no limit."),
    TRUSTED_PROXIES("trusted-proxies", "", "Comma-separated proxy addresses whose `X-Forwarded-For` names the client address; from any other peer the header is ignored."),
    MAX_HEADER_BYTES("max-header-bytes", "8192", "Largest request head (request line and headers) the embedded server accepts; larger gets 431."),
    AUTH_CLOCK_SKEW("auth-clock-skew", "5s", "Clock difference tolerated when checking a token's `exp`; a subscriber's stream ends at `exp` plus this. 0s to 5m."),
    REQUEST_HEAD_TIMEOUT("request-head-timeout", "10s", "Time a connection has to send a complete request head (request line and headers) before the embedded server closes it, so slow or half-open connections never hold a connection slot or a thread for long. 1s to 5m."),
    REDIS_REPLICAS_ACK("redis-replicas-ack", "0", "Replicas that must hold an event (Redis `WAIT`, up to 1 s) before a publish answers 200; otherwise 503. Set 1 with Sentinel so that a failover never loses an acknowledged event.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The key as written in flags ({@code --key}) and init parameters ({@code sse.key}). */
    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
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
}
