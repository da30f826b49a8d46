package io.ssegateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/sse-gateway.jar}) running as its own process, as a user runs
 * it. Output goes to a log file under {@code target/}; {@link #close()} kills it by PID.
 */
public final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code java -jar sse-gateway.jar args…} with extra environment; does not wait. */
    public static GatewayProcess launch(String javaHome, int port, Map<String, String> env, List<String> args)
        throws IOException {
        return launch(javaHome, port, env, args, 0);
    }

    /**
     * As {@link #launch(String, int, Map, List)}, with the open-file limit lowered to
     * {@code nofile} first when it is positive (through the shell's {@code ulimit -n}).
     */
    public static GatewayProcess launch(String javaHome, int port, Map<String, String> env, List<String> args, int nofile)
        throws IOException {
        return launch(javaHome, List.of("-Xmx256m"), port, env, args, nofile);
    }

    /** As above, with the JVM flags {@code jvmFlags} (none: a plain {@code java -jar}, as the README runs it). */
    public static GatewayProcess launch(String javaHome, List<String> jvmFlags, int port, Map<String, String> env,
                                        List<String> args, int nofile) throws IOException {
        return launch(javaHome, jvmFlags, jar(), port, env, args, nofile);
    }

    /** The packaged jar the tests run: the system property {@code it.jar}, else the one in {@code target}. */
    public static Path jar() {
        return Path.of(System.getProperty("it.jar", "target/sse-gateway.jar"));
    }

    /** As above, from the jar {@code jar} (a copy elsewhere). */
    public static GatewayProcess launch(String javaHome, List<String> jvmFlags, Path jar, int port, Map<String, String> env,
                                        List<String> args, int nofile) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (nofile > 0) {
            cmd.addAll(List.of("bash", "-c", "ulimit -n " + nofile + " && exec \"$0\" \"$@\""));
        }
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        Path log = Files.createTempFile(Path.of("target"), "gateway-" + port + "-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SSE_"));
        pb.environment().putAll(env);
        return new GatewayProcess(pb.start(), port, log);
    }

    /** Starts the jar on a free port with {@code --port} and waits until /health answers. */
    public static GatewayProcess start(String... args) throws Exception {
        return start(List.of("-Xmx256m"), args);
    }

    /** As above, with the JVM flags {@code jvmFlags} (none: a plain {@code java -jar}). */
    public static GatewayProcess start(List<String> jvmFlags, String... args) throws Exception {
        int port = freePort();
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
        all.addAll(List.of(args));
        GatewayProcess p = launch(System.getProperty("java.home"), jvmFlags, port, Map.of(), all, 0);
        p.awaitHealthy(Duration.ofSeconds(30));
        return p;
    }

    /**
     * A free port below the kernel's ephemeral range (ip_local_port_range), for a server that others
     * connect to before it listens: no outgoing socket can be given such a port meanwhile.
     */
    public static int freeFixedPort() throws IOException {
        int low = 32768;
        try {
            // readAllLines: Files.readString of a procfs file reads one byte on JDK 17 (procfs reports size 0).
            low = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            // Linux's default range starts at 32768
        }
        int from = Math.max(1024, low - 12_000);
        for (int tries = 0; tries < 200; tries++) {
            int port = from + java.util.concurrent.ThreadLocalRandom.current().nextInt(low - from);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port below " + low);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public void awaitHealthy(Duration timeout) throws Exception {
        HttpClient jdk = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("gateway exited with " + process.exitValue() + ": " + output());
            }
            try {
                HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(url("/health")))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gateway not healthy within " + timeout + ": " + output());
    }

    /**
     * The first line of the output that contains {@code text}, waiting up to {@code timeout} for it;
     * fails if the process ends or the time passes first.
     */
    public String awaitLine(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = output().lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("no line with '" + text + "' within " + timeout + ": " + output());
            }
            Thread.sleep(50);
        }
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends the process a signal (STOP, CONT) by its PID, as {@code kill} does; fails if kill does. */
    public void signal(String name) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " exited " + exit);
        }
    }

    /** Everything the process printed so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int terminate(Duration timeout) throws Exception {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no exit within " + timeout + " after SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        // A plain java -jar runs the gateway in a child JVM: it goes too, whatever became of its parent.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
