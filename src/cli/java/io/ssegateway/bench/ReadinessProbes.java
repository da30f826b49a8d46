package io.ssegateway.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Readiness probes made as a Kubernetes kubelet makes them, while a scenario runs: {@code GET /ready}
 * once a second on each named port, each on a new connection with {@code Connection: close} and a
 * 1 s timeout (the probe's default), a 200 counting as passed. A raw socket rather than an HTTP
 * client, which would keep its connection and so not ask as a kubelet does.
 */
final class ReadinessProbes implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 1000;
    private static final byte[] REQUEST =
        "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kube-probe/1.30\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final Map<String, Port> ports = new LinkedHashMap<>();
    private volatile boolean stopped;

    /** Starts probing each port (by name, such as "main" and "management") on a daemon thread of its own. */
    ReadinessProbes(Map<String, Integer> portsByName) {
        portsByName.forEach((name, port) -> {
            Port p = new Port(port);
            ports.put(name, p);
            Thread t = new Thread(p::probeEverySecond, "bench-probe-" + name);
            t.setDaemon(true);
            p.thread = t;
            t.start();
        });
    }

    /**
     * Per port: probes asked, failed (no 200 within 1 s), the most that failed in a row (a kubelet
     * takes a pod out of its Service after 3 in a row, its default {@code failureThreshold}) and
     * the slowest answer that passed.
     */
    JsonObject figures() {
        JsonObjectBuilder out = Json.createObjectBuilder();
        ports.forEach((name, p) -> {
            synchronized (p) {
                long slowest = p.passedMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
                out.add(name, Json.createObjectBuilder().add("asked", p.asked).add("failed", p.failed)
                    .add("mostFailedInARow", p.mostFailedInARow).add("slowestPassedMillis", slowest));
            }
        });
        return out.build();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Port p : ports.values()) {
            p.thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private final class Port {
        private final int port;
        private final List<Long> passedMillis = new ArrayList<>();
        private int asked;
        private int failed;
        private int failedInARow;
        private int mostFailedInARow;
        private Thread thread;

        Port(int port) {
            this.port = port;
        }

        void probeEverySecond() {
            while (!stopped) {
                long start = System.nanoTime();
                boolean passed = probe();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                synchronized (this) {
                    asked++;
                    if (passed) {
                        passedMillis.add(millis);
                        failedInARow = 0;
                    } else {
                        failed++;
                        mostFailedInARow = Math.max(mostFailedInARow, ++failedInARow);
                    }
                }
                try {
                    Thread.sleep(Math.max(0, 1000 - millis));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** True if the port answered 200 within the timeout (connecting included). */
        private boolean probe() {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
                OutputStream out = s.getOutputStream();
                out.write(REQUEST);
                out.flush();
                InputStream in = s.getInputStream();
                StringBuilder statusLine = new StringBuilder();
                while (statusLine.indexOf("\n") < 0) {
                    int left = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    s.setSoTimeout(left);
                    int b = in.read();
                    if (b < 0) {
                        return false;
                    }
                    statusLine.append((char) b);
                }
                return statusLine.toString().startsWith("HTTP/1.1 200 ");
            } catch (IOException e) {
                return false;
            }
        }
    }
}
