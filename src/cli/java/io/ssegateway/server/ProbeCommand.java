package io.ssegateway.server;

import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.ServerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sse-gateway probe}: asks the gateway on this machine for {@code /health} (or
 * {@code --path}) and exits 0 if it answers 200, 1 otherwise. A container health check that needs
 * nothing from the image but {@code java}: no curl, no wget, no shell. It reads the same settings
 * as the gateway (its {@code SSE_*} variables, the file {@code SSE_CONFIG} names, {@code --config})
 * to find the port (the management port if there is one), the address and whether the port speaks TLS.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = "Asks the gateway on this machine for /health (or --path): exit 0 if it answers 200, 1 if not. "
        + "Finds the port from the gateway's own settings; for container health checks.")
final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--path", defaultValue = "/health", description = "Path to ask (default ${DEFAULT-VALUE}; /ready for readiness).")
    String path;

    @Option(names = "--config", paramLabel = "FILE", description = "The gateway's configuration file, if it was started with one.")
    Path config;

    @Option(names = "--timeout-ms", defaultValue = "3000", description = "How long to wait for the answer (default ${DEFAULT-VALUE}).")
    int timeoutMillis;

    @Override
    public Integer call() {
        URI uri;
        HttpClient client;
        try {
            GatewayConfig settings = Main.settingsOnThisMachine(config);
            // The management port, if there is one: it answers while the main port works through a storm.
            // (0 is a port the system picked, which the settings cannot tell.)
            int management = settings.server().managementPort().orElse(0);
            boolean tls = settings.tls().enabled() && management == 0;
            int port = management == 0 ? settings.server().port() : management;
            uri = URI.create((tls ? "https://" : "http://") + loopbackFor(settings.server()) + ":" + port + path);
            client = client(tls);
        } catch (RuntimeException e) {
            System.err.println("sse-gateway probe: " + e.getMessage());
            return 1;
        }
        try {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMillis)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                System.out.println("ok: " + uri + " answered 200");
                return 0;
            }
            System.out.println("not ok: " + uri + " answered " + answer.statusCode() + " " + answer.body().strip());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (java.io.IOException e) {
            System.out.println("not ok: " + uri + ": " + e);
            return 1;
        }
    }

    /** Where the gateway listens, seen from this machine: its own address, or loopback for "all addresses". */
    private static String loopbackFor(ServerSettings server) {
        String host = server.host();
        if (host.isEmpty() || host.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (host.equals("::") || host.equals("[::]")) {
            return "[::1]";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static HttpClient client(boolean tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (!tls) {
            return builder.build();
        }
        // The certificate names the public host, not this loopback address, and may be signed by an
        // authority this JVM does not know: the probe asks whether our own process answers, so it
        // does not verify the certificate. It only ever talks to the address the gateway listens on.
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
            return builder.sslContext(context).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context: " + e.getMessage(), e);
        }
    }

    /** Accepts the gateway's own certificate whoever signed it (see {@link #client}). */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
