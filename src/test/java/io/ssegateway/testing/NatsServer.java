package io.ssegateway.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code nats-server} of our own with JetStream, on a free loopback port (never the one on
 * 4222), storing in its own directory under {@code target/}, stopped by PID. Can be stopped and
 * started again on the same port and store; {@link #cluster} makes three that route to each other.
 */
public final class NatsServer extends LocalServer {
    /** Debian installs it in /usr/sbin, which a non-root PATH lacks. */
    private static final String BINARY = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? "/usr/sbin/nats-server" : "nats-server";
    private final String name;
    private final int port;
    private final int clusterPort;
    private final List<Integer> routes;
    private final List<String> extraArgs;
    private final Path dir;

    private NatsServer(String name, int port, int clusterPort, List<Integer> routes, List<String> extraArgs) throws IOException {
        this.name = name;
        this.port = port;
        this.clusterPort = clusterPort;
        this.routes = routes;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory(Path.of("target"), "nats-" + port + "-").toAbsolutePath();
    }

    /** One JetStream server; {@code extraArgs} are nats-server flags (such as {@code --auth token}). */
    public static NatsServer start(String... extraArgs) throws Exception {
        return startOn(GatewayProcess.freePort(), extraArgs);
    }

    /** One JetStream server on {@code port}. */
    public static NatsServer startOn(int port, String... extraArgs) throws Exception {
        NatsServer n = new NatsServer("n" + port, port, 0, List.of(), List.of(extraArgs));
        n.startProcess();
        return n;
    }

    /** Three JetStream servers in one cluster, started together and waiting for their meta leader. */
    public static List<NatsServer> cluster() throws Exception {
        // Route ports are dialled by the other servers before they listen: a port from the ephemeral
        // range can then be taken by a dialling socket that connects to itself (a clean CI run saw
        // "bind: address already in use"), so these come from below that range.
        List<Integer> clusterPorts = List.of(GatewayProcess.freeFixedPort(), GatewayProcess.freeFixedPort(),
            GatewayProcess.freeFixedPort());
        List<NatsServer> servers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            servers.add(new NatsServer("s" + (i + 1), GatewayProcess.freePort(), clusterPorts.get(i), clusterPorts, List.of()));
        }
        for (NatsServer s : servers) {
            s.launch();
        }
        for (NatsServer s : servers) {
            s.awaitPort();
        }
        return servers;
    }

    @Override
    public void startProcess() throws Exception {
        launch();
        awaitPort();
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--jetstream", "--store_dir", dir.resolve("store").toString(),
            "--addr", "127.0.0.1", "--port", Integer.toString(port), "--server_name", name));
        if (clusterPort > 0) {
            StringBuilder routeUrls = new StringBuilder();
            for (int r : routes) {
                routeUrls.append(routeUrls.length() == 0 ? "" : ",").append("nats://127.0.0.1:").append(r);
            }
            cmd.addAll(List.of("--cluster_name", "sse-test", "--cluster", "nats://127.0.0.1:" + clusterPort,
                "--routes", routeUrls.toString()));
        }
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nats.log").toFile())).start();
    }

    private void awaitPort() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new AssertionError("nats-server exited: " + Files.readString(dir.resolve("nats.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nats-server did not start on port " + port);
    }

    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }
}
