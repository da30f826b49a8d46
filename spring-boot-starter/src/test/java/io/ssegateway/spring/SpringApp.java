package io.ssegateway.spring;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A Spring Boot application in a JVM of its own, as a team runs it: {@code java -cp … Main
 * --server.port=N}, with the test's class path minus what the case leaves out (Spring Security,
 * one of the two containers). Output goes to a log under {@code target/}; {@link #close()} kills it
 * by PID.
 */
final class SpringApp implements AutoCloseable {
    /** Jars of a container or of Spring Security, by file name. */
    static final Predicate<String> TOMCAT = jar -> jar.startsWith("tomcat-") || jar.startsWith("spring-boot-tomcat")
        || jar.startsWith("spring-boot-starter-tomcat");
    static final Predicate<String> JETTY = jar -> jar.startsWith("jetty-") || jar.startsWith("spring-boot-jetty")
        || jar.startsWith("spring-boot-starter-jetty");
    static final Predicate<String> SECURITY = jar -> jar.startsWith("spring-security-") || jar.startsWith("spring-boot-security")
        || jar.startsWith("spring-boot-starter-security");

    private final Process process;
    private final int port;
    private final Path log;

    private SpringApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code main} without the jars {@code without} matches; does not wait. */
    static SpringApp launch(Class<?> main, Predicate<String> without, String... args) throws IOException {
        return launch(main, without, Map.of(), args);
    }

    /** As {@link #launch(Class, Predicate, String...)}, with these environment variables. */
    static SpringApp launch(Class<?> main, Predicate<String> without, Map<String, String> env, String... args) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(entry -> !without.test(Path.of(entry).getFileName().toString()))
            .collect(Collectors.joining(java.io.File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", classpath, main.getName(), "--server.port=" + port, "--server.address=127.0.0.1"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(Path.of("target"), main.getSimpleName() + "-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SSE_"));
        pb.environment().putAll(env);
        return new SpringApp(pb.start(), port, log);
    }

    /** Starts and waits until the gateway's {@code /health} answers 200. */
    static SpringApp start(Class<?> main, Predicate<String> without, String... args) throws Exception {
        return start(main, without, Map.of(), args);
    }

    static SpringApp start(Class<?> main, Predicate<String> without, Map<String, String> env, String... args) throws Exception {
        SpringApp app = launch(main, without, env, args);
        app.awaitUp(Duration.ofSeconds(60));
        return app;
    }

    void awaitUp(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the application exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/health")))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the application did not start within " + timeout + ":\n" + output());
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    Process process() {
        return process;
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** Waits for the process to end by itself; its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
