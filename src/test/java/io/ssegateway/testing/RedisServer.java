package io.ssegateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} of our own on a free loopback port (never the one on 6379), with
 * no persistence, stopped by PID. Can be stopped and started again on the same port.
 */
public final class RedisServer extends LocalServer {
    private final int port;
    private final List<String> extraArgs;
    private final Path dir;
    private final Path sentinelConfig;

    private RedisServer(int port, List<String> extraArgs, String sentinelConfigText) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory(Path.of("target"), "redis-" + port + "-").toAbsolutePath();
        this.sentinelConfig = sentinelConfigText == null ? null : Files.writeString(dir.resolve("sentinel.conf"),
            sentinelConfigText.replace("{port}", Integer.toString(port)).replace("{dir}", dir.toString()));
    }

    public static RedisServer start(String... extraArgs) throws Exception {
        return startOn(GatewayProcess.freePort(), extraArgs);
    }

    /** A redis-server on {@code port} (a port something was told to use before Redis was there). */
    public static RedisServer startOn(int port, String... extraArgs) throws Exception {
        RedisServer r = new RedisServer(port, List.of(extraArgs), null);
        r.startProcess();
        return r;
    }

    /**
     * A Sentinel ({@code redis-server sentinel.conf --sentinel}) monitoring the primary on
     * {@code primaryPort} as {@code mymaster}, with quorum 1 and short timeouts for tests.
     */
    public static RedisServer sentinel(int primaryPort) throws Exception {
        String conf = "port {port}\nbind 127.0.0.1\ndir {dir}\n"
            + "sentinel monitor mymaster 127.0.0.1 " + primaryPort + " 1\n"
            + "sentinel down-after-milliseconds mymaster 1000\n"
            + "sentinel failover-timeout mymaster 3000\n"
            + "sentinel parallel-syncs mymaster 1\n";
        RedisServer r = new RedisServer(GatewayProcess.freePort(), List.of(), conf);
        r.startProcess();
        return r;
    }

    @Override
    public void startProcess() throws Exception {
        List<String> cmd = sentinelConfig != null
            ? new ArrayList<>(List.of("redis-server", sentinelConfig.toString(), "--sentinel"))
            : new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Jedis j = client()) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("redis-server did not start on port " + port);
    }

    @Override
    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Jedis client() {
        return new Jedis("127.0.0.1", port, 2000);
    }
}
