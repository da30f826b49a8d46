package io.ssegateway.config;

import java.time.Duration;

/**
 * How streams behave.
 *
 * @param heartbeat     interval of heartbeat comments and of the stall check
 * @param retry         the {@code retry:} sent to clients
 * @param queueMaxBytes the per-stream queue bound
 * @param slowConsumer  what a full queue does
 * @param maxTopics     most topics on one stream
 * @param pumpThreads   threads that write to sockets (0 in the setting resolves to one per core, at least 2)
 */
public record StreamSettings(Duration heartbeat, Duration retry, int queueMaxBytes, SlowConsumerPolicy slowConsumer,
                             int maxTopics, int pumpThreads) {
}
