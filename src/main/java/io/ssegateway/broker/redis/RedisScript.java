package io.ssegateway.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script shipped in the jar, run with EVALSHA and loaded with EVAL the first time a Redis
 * does not know it (after a restart or flush).
 */
final class RedisScript {
    private final String name;
    private final byte[] source;
    private final byte[] sha;

    private RedisScript(String name, byte[] source) {
        this.name = name;
        this.source = source;
        this.sha = sha1Hex(source).getBytes(StandardCharsets.US_ASCII);
    }

    /** Loads {@code name} from this package's resources. */
    static RedisScript load(String name) {
        try (InputStream in = RedisScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("script " + name + " is missing from the jar");
            }
            return new RedisScript(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object run(UnifiedJedis redis, List<byte[]> keys, List<byte[]> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException notLoaded) {
            return redis.eval(source, keys, args);
        }
    }

    /**
     * Runs the script and then {@code WAIT replicas timeoutMillis} on the same connection; the
     * second element of the result is how many replicas acknowledged.
     */
    Object[] runAndWait(UnifiedJedis redis, List<byte[]> keys, List<byte[]> args, int replicas, long timeoutMillis) {
        for (boolean loaded : new boolean[] {true, false}) {
            try (AbstractPipeline pipeline = redis.pipelined()) {
                Response<Object> result = loaded ? pipeline.evalsha(sha, keys, args) : pipeline.eval(source, keys, args);
                // The key only routes the command in a cluster; WAIT itself takes none.
                Response<Long> acked = pipeline.waitReplicas(keys.get(0), replicas, timeoutMillis);
                pipeline.sync();
                try {
                    return new Object[] {result.get(), acked.get()};
                } catch (JedisNoScriptException notLoaded) {
                    // first time on this Redis: run the source once, which also caches it
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }

    String sha() {
        return new String(sha, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return name + "@" + sha();
    }

    private static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
