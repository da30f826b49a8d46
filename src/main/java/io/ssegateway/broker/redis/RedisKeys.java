package io.ssegateway.broker.redis;

import java.nio.charset.StandardCharsets;

/** The Redis layout of DESIGN.md, in one place. */
final class RedisKeys {
    static final String SEQ = "sse:seq";
    static final String EPOCH = "sse:epoch";
    /** Sorted set of seqs by publish time (one a second), for replays of expired history keys. */
    static final String SEQ_BY_TIME = "sse:seq-by-time";
    /** Short-lived key that limits {@link #SEQ_BY_TIME} to one entry a second. */
    static final String SEQ_MARK = "sse:seq-mark";
    static final String HISTORY_PREFIX = "sse:history:";
    static final String LIVE_PREFIX = "sse:live:";
    /** Set of the nodes that hold presence entries; each has a hash and an expiring liveness key. */
    static final String PRESENCE_NODES = "sse:presence:nodes";

    private RedisKeys() {
    }

    static String presence(String node) {
        return "sse:presence:entries:" + node;
    }

    static String alive(String node) {
        return "sse:presence:alive:" + node;
    }

    static String history(String topic) {
        return HISTORY_PREFIX + topic;
    }

    /** Where the id of the event published to {@code topic} with an idempotency key is kept. */
    static String idempotency(String topic, String key) {
        return "sse:idempotency:" + topic + ":" + key;
    }

    static String live(String topic) {
        return LIVE_PREFIX + topic;
    }

    /** The topic of a {@code sse:live:<topic>} channel, or null for other channels. */
    static String topicOfChannel(byte[] channel) {
        String name = new String(channel, StandardCharsets.UTF_8);
        return name.startsWith(LIVE_PREFIX) ? name.substring(LIVE_PREFIX.length()) : null;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
