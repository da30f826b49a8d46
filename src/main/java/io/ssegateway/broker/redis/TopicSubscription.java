package io.ssegateway.broker.redis;

import java.util.concurrent.CompletableFuture;

/**
 * One topic this node's streams want. {@code confirmed} completes when Redis confirmed the
 * SUBSCRIBE sent for it; {@code lastSeq} (the last seq delivered, -1 before the first) belongs to
 * the subscriber thread.
 */
final class TopicSubscription {
    final String topic;
    final CompletableFuture<Void> confirmed = new CompletableFuture<>();
    long lastSeq = -1;

    TopicSubscription(String topic) {
        this.topic = topic;
    }
}
