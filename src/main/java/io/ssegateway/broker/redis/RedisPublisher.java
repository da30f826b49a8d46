package io.ssegateway.broker.redis;

import io.ssegateway.event.EventId;
import io.ssegateway.event.Names;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Publishes events into the gateway's Redis directly, for JVM services that do not want to go
 * through HTTP. Uses the same Lua script as the gateway (so ids, history and live delivery are
 * identical) and the same topic and type rules.
 *
 * <pre>{@code
 * try (RedisPublisher publisher = RedisPublisher.connect(URI.create("redis://localhost:6379"))) {
 *     EventId id = publisher.publish("news", "headline", "hello").id();
 * }
 * }</pre>
 * Thread-safe. The history bounds must match the gateways' {@code history-max-events} and
 * {@code history-max-age}.
 */
public final class RedisPublisher implements AutoCloseable {
    private static final RedisScript PUBLISH = RedisScript.load("publish.lua");
    private static final long REPLICATION_TIMEOUT_MILLIS = 1000;

    private final UnifiedJedis redis;
    private final boolean ownsConnection;
    private final byte[] maxEvents;
    private final byte[] maxAgeMillis;
    private final int replicasAck;

    /** What Redis recorded for a published event. */
    public record Published(EventId id, long publishedAtMillis) {
    }

    /**
     * Uses {@code redis} (not closed by {@link #close()}).
     *
     * @param replicasAck replicas that must acknowledge each event (Redis {@code WAIT}) before
     *                    {@link #publish} returns; 0 to not wait
     */
    public RedisPublisher(UnifiedJedis redis, int historyMaxEvents, Duration historyMaxAge, int replicasAck) {
        this(redis, false, historyMaxEvents, historyMaxAge, replicasAck);
    }

    private RedisPublisher(UnifiedJedis redis, boolean owns, int historyMaxEvents, Duration historyMaxAge,
                           int replicasAck) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.ownsConnection = owns;
        this.maxEvents = RedisKeys.bytes(Integer.toString(historyMaxEvents));
        this.maxAgeMillis = RedisKeys.bytes(Long.toString(historyMaxAge.toMillis()));
        this.replicasAck = replicasAck;
    }

    /** Connects a pool to {@code uri} with the gateway's default history bounds (1000 events, 1 h). */
    public static RedisPublisher connect(URI uri) {
        return new RedisPublisher(new JedisPooled(uri), true, 1000, Duration.ofHours(1), 0);
    }

    /**
     * Stores and publishes one event.
     *
     * @param type SSE event type, or null for the default
     * @throws IllegalArgumentException for a topic or type outside the documented rules
     * @throws redis.clients.jedis.exceptions.JedisException if Redis did not store it
     */
    public Published publish(String topic, String type, String data) {
        return publish(topic, type, data, null);
    }

    /**
     * Stores and publishes one event, once per idempotency key: while the topic's history age lasts,
     * a second publish with the same key stores nothing and returns the first event's id.
     *
     * @param idempotencyKey null, or 1-128 visible ASCII characters
     */
    public Published publish(String topic, String type, String data, String idempotencyKey) {
        if (!Names.isBrokerTopic(topic)) {
            throw new IllegalArgumentException("invalid topic: " + Names.topicRule());
        }
        if (type != null && !Names.isValidType(type)) {
            throw new IllegalArgumentException("invalid event type: " + Names.typeRule());
        }
        Objects.requireNonNull(data, "data");
        List<byte[]> keys = List.of(RedisKeys.bytes(RedisKeys.SEQ), RedisKeys.bytes(RedisKeys.EPOCH),
            RedisKeys.bytes(RedisKeys.history(topic)), RedisKeys.bytes(RedisKeys.live(topic)),
            RedisKeys.bytes(RedisKeys.SEQ_BY_TIME), RedisKeys.bytes(RedisKeys.SEQ_MARK),
            RedisKeys.bytes(RedisKeys.idempotency(topic, idempotencyKey == null ? "" : idempotencyKey)));
        List<byte[]> args = List.of(RedisKeys.bytes(type == null ? "" : type), data.getBytes(StandardCharsets.UTF_8),
            // A fresh candidate each time: used only if this Redis has no epoch (new, or lost its data).
            maxEvents, maxAgeMillis, RedisKeys.bytes(EventId.newEpoch()),
            RedisKeys.bytes(idempotencyKey == null ? "" : idempotencyKey));
        List<?> reply;
        if (replicasAck == 0) {
            reply = (List<?>) PUBLISH.run(redis, keys, args);
        } else {
            Object[] result = PUBLISH.runAndWait(redis, keys, args, replicasAck, REPLICATION_TIMEOUT_MILLIS);
            reply = (List<?>) result[0];
            long acked = (Long) result[1];
            if (acked < replicasAck) {
                throw new JedisException("event stored on the primary but acknowledged by " + acked + " of "
                    + replicasAck + " replicas within " + REPLICATION_TIMEOUT_MILLIS + " ms");
            }
        }
        String epoch = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
        return new Published(new EventId(epoch, (Long) reply.get(1)), (Long) reply.get(2));
    }

    /** The SHA1 under which the publish script is cached in Redis (for EVALSHA from other languages). */
    public static String scriptSha() {
        return PUBLISH.sha();
    }

    @Override
    public void close() {
        if (ownsConnection) {
            redis.close();
        }
    }
}
