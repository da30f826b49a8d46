package io.ssegateway.config;

import java.time.Duration;

/** How a node drains: how long it waits for streams, and the spread of the retry it sends them. */
public record ShutdownSettings(Duration drainTimeout, Duration retryJitter) {
}
