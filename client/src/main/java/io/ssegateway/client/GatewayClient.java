package io.ssegateway.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Publishes to and subscribes from one sse-gateway (or the load balancer in front of its nodes).
 * Thread-safe; make one per gateway and share it.
 *
 * <pre>{@code
 * GatewayClient gateway = GatewayClient.builder(URI.create("http://localhost:8080/"))
 *     .token(tokens::current)                                  // optional: a Bearer JWT per request
 *     .build();
 * Published p = gateway.publish(Publication.of("orders/42", "{\"state\":\"paid\"}"));
 * EventStream stream = gateway.subscribe(Subscription.to("orders/42"), event -> show(event.data()));
 * stream.close();
 * gateway.close();
 * }</pre>
 *
 * <p>Threads. {@link #publish} runs on the caller's thread and blocks until the gateway stored the
 * event or the last attempt failed (it sleeps between attempts). A subscription holds no thread:
 * the JDK's HTTP client reads every connection from its one selector thread and hands lines to a
 * small pool (two threads per client), a timer thread waits out reconnect delays and idle checks,
 * and listeners are called on the callback executor ({@link Builder#callbackExecutor}; by default a
 * pool of as many daemon threads as processors, at least two). See {@link EventListener} for the
 * order of callbacks.
 *
 * <p>HTTP/2 is used when the gateway offers it over TLS (ALPN); cleartext URLs use HTTP/1.1, one
 * connection per subscription.
 */
public final class GatewayClient implements AutoCloseable {
    private final ClientParts parts;
    private final int publishAttempts;
    private final ExecutorService ownedHttpExecutor;
    private final ExecutorService ownedCallbacks;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private GatewayClient(Builder b) {
        this.publishAttempts = b.publishAttempts;
        this.ownedHttpExecutor = Executors.newFixedThreadPool(2, daemon("sse-client-http-"));
        this.ownedCallbacks = b.callbacks == null
            ? Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("sse-client-callback-"))
            : null;
        HttpClient.Builder http = HttpClient.newBuilder().executor(ownedHttpExecutor).connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
        if (b.sslContext != null) {
            http.sslContext(b.sslContext);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("sse-client-timer-"));
        this.parts = new ClientParts(http.build(), b.base, b.token, timer, b.callbacks != null ? b.callbacks : ownedCallbacks,
            b.requestTimeout, b.idleTimeout, b.maxBackoff.toMillis());
    }

    /** A builder for a gateway at {@code base} (e.g. {@code http://localhost:8080/}, or with a path prefix). */
    public static Builder builder(URI base) {
        return new Builder(base);
    }

    /**
     * Publishes and returns once the gateway stored the event. A 503 (the broker's outcome unknown,
     * the broker unreachable, the node draining), a 502 or 504 from a proxy, and a connection that
     * failed or timed out are retried with the same {@code Idempotency-Key}, after a jittered delay
     * that doubles from 100 ms (at least the {@code Retry-After} asked for), up to the configured
     * attempts; a 4xx is never retried.
     *
     * @throws GatewayException when the gateway refused it, or the last attempt failed
     */
    public Published publish(Publication publication) {
        String key = publication.givenIdempotencyKey() != null ? publication.givenIdempotencyKey() : UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            long waitMillis;
            GatewayException failure;
            try {
                // Built per attempt: the token source is asked each time, so a token that expired
                // while the call waited to retry is replaced.
                HttpResponse<String> response = parts.http().send(publishRequest(publication, key), info -> BoundedText.subscriber());
                int status = response.statusCode();
                if (status == 200) {
                    return published(publication, key, attempt, response);
                }
                Map<String, String> json = FlatJson.read(response.body());
                String error = json != null && json.containsKey("error") ? json.get("error") : "http-" + status;
                String message = json != null ? json.getOrDefault("message", "") : response.body();
                failure = new GatewayException(status, error, message, key, null);
                if (status != 502 && status != 503 && status != 504) {
                    throw failure;
                }
                waitMillis = Delays.retryAfterMillis(response.headers(), 60);
            } catch (IOException e) {
                failure = new GatewayException(0, "connection-failed", String.valueOf(e.getMessage()), key, e);
                waitMillis = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(0, "interrupted", "interrupted while publishing", key, e);
            }
            if (attempt >= publishAttempts) {
                throw failure;
            }
            sleep(Math.max(waitMillis, publishBackoff(attempt)), key);
        }
    }

    /**
     * Subscribes: the stream opens now and reconnects by itself (honouring the gateway's
     * {@code retry:}, and the jittered delays of {@code server-shutdown} and {@code server-busy}),
     * resuming after the last event received, until {@link EventStream#close()}, {@link #close()}
     * or a refusal that retrying cannot change.
     */
    public EventStream subscribe(Subscription subscription, EventListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("this GatewayClient is closed");
        }
        ResumingStream[] self = new ResumingStream[1];
        ResumingStream stream = new ResumingStream(parts, subscription, listener, () -> streams.remove(self[0]));
        self[0] = stream;
        streams.add(stream);
        stream.start();
        return stream;
    }

    /**
     * Closes every subscription (each gets {@code onClosed}) and stops the client's threads; later
     * calls to {@link #subscribe} throw {@link IllegalStateException}. Idempotent. (The JDK's HTTP
     * client has no close on Java 17: its selector thread ends once the client is unreachable.)
     */
    @Override
    public void close() {
        closed = true;
        for (EventStream stream : streams) {
            stream.close();
        }
        parts.timer().shutdownNow();
        ownedHttpExecutor.shutdown();
        if (ownedCallbacks != null) {
            // After the onClosed callbacks already queued.
            ownedCallbacks.shutdown();
        }
    }

    private HttpRequest publishRequest(Publication p, String key) {
        HttpRequest.Builder builder;
        if (p.isMercure()) {
            StringBuilder form = new StringBuilder("topic=").append(form(p.topic())).append("&data=").append(form(p.data()));
            if (p.eventType() != null) {
                form.append("&type=").append(form(p.eventType()));
            }
            builder = parts.request(".well-known/mercure").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        } else {
            String query = "publish?topic=" + form(p.topic()) + (p.eventType() == null ? "" : "&event=" + form(p.eventType()));
            builder = parts.request(query).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(p.data(), StandardCharsets.UTF_8));
        }
        return builder.header("Idempotency-Key", key).build();
    }

    private static Published published(Publication p, String key, int attempts, HttpResponse<String> response) {
        if (p.isMercure()) {
            return new Published(response.body().strip(), p.topic(), key, attempts);
        }
        Map<String, String> json = FlatJson.read(response.body());
        if (json == null || json.get("id") == null) {
            throw new GatewayException(200, "unexpected-answer", "no id in " + response.body(), key, null);
        }
        return new Published(json.get("id"), json.getOrDefault("topic", p.topic()), key, attempts);
    }

    private static long publishBackoff(int attempt) {
        return Delays.jittered(Math.min(5_000, 100L << Math.min(attempt - 1, 10)));
    }

    private static void sleep(long millis, String key) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(0, "interrupted", "interrupted between attempts", key, e);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Settings of a {@link GatewayClient}; every one has a default. */
    public static final class Builder {
        private final URI base;
        private Supplier<String> token;
        private Executor callbacks;
        private int publishAttempts = 5;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private SSLContext sslContext;

        private Builder(URI base) {
            String text = Objects.requireNonNull(base, "base").toString();
            this.base = URI.create(text.endsWith("/") ? text : text + "/");
        }

        /**
         * Where each request's Bearer token comes from: called before every publish attempt and every
         * (re)connect, so a rotating token is picked up; null or empty sends none.
         */
        public Builder token(Supplier<String> source) {
            this.token = source;
            return this;
        }

        /** Where listeners run (default: a pool of daemon threads, as many as processors, at least two). */
        public Builder callbackExecutor(Executor executor) {
            this.callbacks = executor;
            return this;
        }

        /** Requests per {@code publish} call at most, the first included (default 5). */
        public Builder publishAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("at least one attempt: " + attempts);
            }
            this.publishAttempts = attempts;
            return this;
        }

        /** TCP connect timeout (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Until a publish is answered, or a stream's response headers arrive (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * A stream on which nothing arrived for this long (no event, no heartbeat) is taken for dead
         * and reopened: a connection whose peer vanished without a FIN is otherwise never noticed.
         * Keep it above twice the gateway's {@code heartbeat} (25 s by default); default 60 s.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** The longest wait between reconnects after failures in a row (default 30 s). */
        public Builder maxBackoff(Duration max) {
            this.maxBackoff = max;
            return this;
        }

        /** The TLS context for {@code https} gateways (default: the JDK's, which trusts its CA certificates). */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public GatewayClient build() {
            return new GatewayClient(this);
        }
    }
}
