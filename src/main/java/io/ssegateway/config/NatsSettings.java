package io.ssegateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The NATS JetStream broker's settings.
 *
 * @param urls      server URLs ({@code nats://} or {@code tls://}); empty when NATS is not used
 * @param stream    name of the JetStream stream, also the first token of its subjects
 * @param replicas  replicas of the stream
 * @param credsFile credentials file (user JWT and NKey seed), or null
 * @param caFile    PEM certificates that verify the servers, or null (the JVM's trust store)
 */
public record NatsSettings(List<String> urls, String stream, int replicas, Path credsFile, Path caFile) {
    public NatsSettings {
        urls = List.copyOf(urls);
    }
}
