package io.ssegateway.broker.redis;

import io.ssegateway.config.RedisSettings;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * How a node reaches Redis: a pool for commands (publish, replay, backfill) and, on demand, one
 * dedicated connection for the subscriber thread, always to the current primary. With Sentinel,
 * both follow failovers: the pool through Jedis's Sentinel listener, the subscriber by asking for
 * the current primary each time it reconnects.
 */
final class RedisConnections implements AutoCloseable {
    private final UnifiedJedis commands;
    private final JedisClientConfig clientConfig;
    private final URI uri;
    private final String description;

    private RedisConnections(UnifiedJedis commands, JedisClientConfig clientConfig, URI uri, String description) {
        this.commands = commands;
        this.clientConfig = clientConfig;
        this.uri = uri;
        this.description = description;
    }

    static RedisConnections create(RedisSettings config) {
        URI uri = config.url();
        if (config.sentinels().isEmpty()) {
            return new RedisConnections(new JedisPooled(uri), null, uri, "redis " + uri.getHost() + ":" + uri.getPort());
        }
        DefaultJedisClientConfig.Builder master = DefaultJedisClientConfig.builder().timeoutMillis(2000);
        if (uri != null) {
            master.user(JedisURIHelper.getUser(uri)).password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri)).ssl(JedisURIHelper.isRedisSSLScheme(uri));
        }
        JedisClientConfig masterConfig = master.build();
        Set<HostAndPort> sentinels = new LinkedHashSet<>();
        for (String hostPort : config.sentinels()) {
            sentinels.add(HostAndPort.from(hostPort));
        }
        JedisSentineled pool = new JedisSentineled(config.master(), masterConfig, sentinels,
            DefaultJedisClientConfig.builder().timeoutMillis(2000).build());
        return new RedisConnections(pool, masterConfig, null,
            "redis sentinel master '" + config.master() + "' via " + sentinels);
    }

    UnifiedJedis commands() {
        return commands;
    }

    /** A new connection to the current primary, for the subscriber thread alone. */
    Jedis newSubscriberConnection() {
        if (commands instanceof JedisSentineled sentinel) {
            return new Jedis(sentinel.getCurrentMaster(), clientConfig);
        }
        return new Jedis(uri, 2000);
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        commands.close();
    }
}
