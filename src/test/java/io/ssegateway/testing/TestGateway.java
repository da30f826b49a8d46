package io.ssegateway.testing;

import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.Setting;
import io.ssegateway.lifecycle.Gateway;
import io.ssegateway.server.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real gateway on a free loopback port, built through the same factory as {@code main}.
 * Settings are given as key/value pairs over the defaults; the environment is ignored.
 */
public final class TestGateway implements AutoCloseable {
    private final Server server;
    private final String base;
    private final HttpClient jdk;

    private TestGateway(Server server, boolean tls) {
        this.server = server;
        this.base = (tls ? "https" : "http") + "://127.0.0.1:" + GatewayServer.port(server);
        this.jdk = tls ? HttpClient.newBuilder().sslContext(TrustingTls.context()).build() : HttpClient.newHttpClient();
    }

    public static TestGateway start(String... keyValues) throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put(Setting.PORT.key(), "0");
        values.put(Setting.HOST.key(), "127.0.0.1");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        Server server = GatewayServer.newServer(GatewayConfig.of(values));
        server.start();
        return new TestGateway(server, values.containsKey(Setting.TLS_CERT_FILE.key()));
    }

    /** A gateway serving TLS (HTTP/2 by ALPN) with {@code pair}, and the given settings besides. */
    public static TestGateway startTls(Certificates.Pair pair, String... keyValues) throws Exception {
        String[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + 4);
        all[keyValues.length] = Setting.TLS_CERT_FILE.key();
        all[keyValues.length + 1] = pair.cert().toString();
        all[keyValues.length + 2] = Setting.TLS_KEY_FILE.key();
        all[keyValues.length + 3] = pair.key().toString();
        return start(all);
    }

    public String url(String pathAndQuery) {
        return base + pathAndQuery;
    }

    public int port() {
        return GatewayServer.port(server);
    }

    /**
     * Occupies every thread of the server's request pool (the main port's) with a task that waits
     * for the returned latch, as a storm keeps them busy; count it down to free them.
     */
    public CountDownLatch occupyRequestThreads() {
        QueuedThreadPool pool = (QueuedThreadPool) server.getThreadPool();
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < pool.getMaxThreads(); i++) {
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return release;
    }

    /** The jobs waiting in the request threads' queue. */
    public int queuedJobs() {
        return ((QueuedThreadPool) server.getThreadPool()).getQueueSize();
    }

    /** {@code pathAndQuery} on the management port (started with {@code management-port}). */
    public String managementUrl(String pathAndQuery) {
        return "http://127.0.0.1:" + GatewayServer.managementPort(server).orElseThrow() + pathAndQuery;
    }

    /** The TCP connections the server holds open now (HTTP/2 carries many streams on one). */
    public int connections() {
        return server.getConnectors()[0].getConnectedEndPoints().size();
    }

    /** The pool the main port's connections take their buffers from. */
    public ByteBufferPool byteBufferPool() {
        return server.getConnectors()[0].getByteBufferPool();
    }

    /** Whether Jetty may run this server's requests where it reads them ({@code Server.getInvocationType}). */
    public boolean requestsNonBlocking() {
        return server.getInvocationType() == Invocable.InvocationType.NON_BLOCKING;
    }

    public Gateway gateway() {
        return GatewayServer.gateway(server);
    }

    /** POSTs {@code data} to {@code /publish?topic=…}; returns the response. */
    public HttpResponse<String> publish(String topic, String data) throws Exception {
        return post("/publish?topic=" + topic, data);
    }

    public HttpResponse<String> post(String pathAndQuery, String data) throws Exception {
        return jdk.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(data, StandardCharsets.UTF_8)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String pathAndQuery) throws Exception {
        return get(pathAndQuery, Map.of());
    }

    public HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(b::header);
        return jdk.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Publishes and returns the id from the JSON answer, failing on anything but 200. */
    public String publishOk(String topic, String data) throws Exception {
        HttpResponse<String> r = publish(topic, data);
        if (r.statusCode() != 200) {
            throw new AssertionError("publish answered " + r.statusCode() + ": " + r.body());
        }
        return Json.field(r.body(), "id");
    }

    /** Drains and stops, as SIGTERM would. */
    public void stop() throws Exception {
        GatewayServer.stop(server);
    }

    @Override
    public void close() throws Exception {
        if (server.isRunning()) {
            stop();
        }
    }
}
