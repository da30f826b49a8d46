package io.ssegateway.config;

/**
 * Capacity and request limits.
 *
 * @param maxStreams          most streams, 0 to derive it from the open-file limit
 * @param requiredStreams     streams the open-file limit must allow, 0 for none
 * @param fdReserve           descriptors kept free besides streams
 * @param maxBodyBytes        largest publish body
 * @param maxStreamsPerClient most streams per client address, 0 for no limit
 */
public record LimitSettings(int maxStreams, int requiredStreams, int fdReserve, int maxBodyBytes, int maxStreamsPerClient) {
}
