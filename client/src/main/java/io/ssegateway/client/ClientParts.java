package io.ssegateway.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What the publisher and every subscription of one {@link GatewayClient} share: the HTTP client,
 * the gateway's address, the token source, the timer and the callback executor.
 */
record ClientParts(HttpClient http, URI base, Supplier<String> token, ScheduledExecutorService timer,
                   Executor callbacks, Duration requestTimeout, Duration idleTimeout, long maxBackoffMillis) {

    /** A request to {@code path} (with query) on the gateway, with the token if there is one. */
    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(requestTimeout);
        if ("http".equalsIgnoreCase(base.getScheme())) {
            // Cleartext: HTTP/1.1. The JDK would otherwise ask for "Upgrade: h2c", which the gateway
            // declines; over TLS ALPN picks HTTP/2 when the server offers it.
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        String bearer = token == null ? null : token.get();
        if (bearer != null && !bearer.isEmpty()) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }
}
