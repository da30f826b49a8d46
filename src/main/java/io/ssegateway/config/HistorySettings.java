package io.ssegateway.config;

import java.time.Duration;

/** Bounds of each topic's history: most events kept, and the age after which an event leaves. */
public record HistorySettings(int maxEvents, Duration maxAge) {
}
