package io.ssegateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A gateway process started for a scenario: its PID, URL, metrics and a clean stop. */
final class GatewayUnderTest implements AutoCloseable {
    private final Process process;
    final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private GatewayUnderTest(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static GatewayUnderTest start(String java, List<String> jvmArgs, Path jar, int port, List<String> settings, Path log)
        throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1"));
        cmd.addAll(settings);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GatewayUnderTest g = new GatewayUnderTest(p, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("gateway on port " + port + " exited with status " + p.exitValue()
                    + " before it was ready; see " + log);
            }
            try {
                if (g.get("/ready").statusCode() == 200) {
                    return g;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("gateway on port " + port + " did not become ready; see " + log);
    }

    long pid() {
        return process.pid();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} as text; the response's status. */
    int post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Heap in use after a full GC (jcmd GC.run, then the JVM's own heap gauge). */
    double heapAfterGc(String jcmd) throws Exception {
        new ProcessBuilder(jcmd, Long.toString(pid()), "GC.run").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        Thread.sleep(500);
        return PrometheusText.parse(get("/metrics").body()).value("jvm_memory_used_bytes{area=\"heap\"}");
    }

    /**
     * SIGTERM, and the milliseconds until the process exited (its drain); -1 if it had not exited
     * within {@code wait} and was killed.
     */
    long terminate(Duration wait) throws Exception {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            var unused = terminate(Duration.ofSeconds(30));
        }
    }
}
