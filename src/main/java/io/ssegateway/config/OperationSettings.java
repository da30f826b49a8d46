package io.ssegateway.config;

/**
 * What a node serves besides the API.
 *
 * @param page    the demo page and dashboard at {@code /}
 * @param metrics Prometheus metrics at {@code /metrics}
 */
public record OperationSettings(boolean page, boolean metrics) {
}
