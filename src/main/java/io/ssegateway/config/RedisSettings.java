package io.ssegateway.config;

import java.net.URI;
import java.util.List;

/**
 * The Redis broker's settings.
 *
 * @param url         the Redis URL, or null
 * @param sentinels   Sentinel addresses ({@code host:port}), empty when Sentinel is not used
 * @param master      the Sentinel name of the primary
 * @param replicasAck replicas that must hold an event before a publish is acknowledged
 */
public record RedisSettings(URI url, List<String> sentinels, String master, int replicasAck) {
    /** True when the nodes share Redis (a URL or Sentinels); else the in-memory broker is used. */
    public boolean enabled() {
        return url != null || !sentinels.isEmpty();
    }
}
