package io.ssegateway.broker.redis;

import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Presence;
import io.ssegateway.concurrent.DaemonThreads;
import io.ssegateway.event.EventId;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link Presence} in Redis: each node keeps its entries in a hash of its own and proves it is alive
 * with a key that expires {@link #TTL_SECONDS} after its last renewal (every {@link #RENEW_SECONDS}).
 * Listing reads the hashes of live nodes and deletes those of nodes whose key expired, so a killed
 * node's entries are gone within {@link #TTL_SECONDS}. A node cut off from Redis for longer may find
 * its hash deleted when it comes back: it keeps its own entries and writes them again then.
 */
final class RedisPresence implements Presence, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisPresence.class.getName());
    static final long TTL_SECONDS = 15;
    static final long RENEW_SECONDS = 5;

    private final UnifiedJedis redis;
    private final String node = EventId.newEpoch();
    /** This node's entries, to write again if its hash was cleaned up while it was away. */
    private final Map<String, String> mine = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sse-presence"));

    RedisPresence(UnifiedJedis redis) {
        this.redis = redis;
        var unused = renewer.scheduleWithFixedDelay(this::renew, 0, RENEW_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void put(String key, String value) throws BrokerUnavailableException {
        mine.put(key, value);
        try {
            redis.hset(RedisKeys.presence(node), key, value);
            redis.sadd(RedisKeys.PRESENCE_NODES, node);
        } catch (JedisException e) {
            throw new BrokerUnavailableException("presence not recorded: " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(String key) throws BrokerUnavailableException {
        mine.remove(key);
        try {
            redis.hdel(RedisKeys.presence(node), key);
        } catch (JedisException e) {
            throw new BrokerUnavailableException("presence not removed: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> list(String prefix) throws BrokerUnavailableException {
        Map<String, String> out = new TreeMap<>();
        try {
            for (String other : redis.smembers(RedisKeys.PRESENCE_NODES)) {
                if (!redis.exists(RedisKeys.alive(other))) {
                    redis.del(RedisKeys.presence(other));
                    redis.srem(RedisKeys.PRESENCE_NODES, other);
                    continue;
                }
                redis.hgetAll(RedisKeys.presence(other)).forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        out.put(k, v);
                    }
                });
            }
        } catch (JedisException e) {
            throw new BrokerUnavailableException("presence not read: " + e.getMessage(), e);
        }
        return out;
    }

    private void renew() {
        try {
            boolean wasAlive = redis.exists(RedisKeys.alive(node));
            redis.setex(RedisKeys.alive(node), TTL_SECONDS, "1");
            redis.sadd(RedisKeys.PRESENCE_NODES, node);
            if (!wasAlive && !mine.isEmpty()) {
                redis.hset(RedisKeys.presence(node), Map.copyOf(mine));
            }
        } catch (JedisException e) {
            LOG.log(Level.DEBUG, "presence not renewed: {0}", e.getMessage());
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            redis.del(RedisKeys.presence(node), RedisKeys.alive(node));
            redis.srem(RedisKeys.PRESENCE_NODES, node);
        } catch (JedisException e) {
            LOG.log(Level.DEBUG, "presence not removed at close: {0}", e.getMessage());
        }
    }
}
