package io.ssegateway.broker.nats;

import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.ssegateway.config.NatsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client options of the gateway's one NATS connection: reconnect forever with jitter, find a
 * dead server within about two seconds (1 s pings, two unanswered), never buffer a publish while
 * disconnected (its outcome must be known: it fails at once and the publisher gets 503), and the
 * credentials and trust the settings name.
 */
final class NatsOptions {
    /** How long a JetStream request (publish, replay read) may take before its outcome is unknown. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private NatsOptions() {
    }

    static Options build(NatsSettings settings, String connectionName, ConnectionListener connections, ErrorListener errors) {
        Options.Builder b = new Options.Builder()
            .servers(settings.urls().toArray(String[]::new))
            .connectionName(connectionName)
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(250))
            .reconnectJitter(Duration.ofMillis(250))
            .connectionTimeout(Duration.ofSeconds(2))
            .pingInterval(Duration.ofSeconds(1))
            .maxPingsOut(2)
            .reconnectBufferSize(0)
            .connectionListener(connections)
            .errorListener(errors);
        if (settings.credsFile() != null) {
            b.authHandler(Nats.credentials(settings.credsFile().toString()));
        }
        if (settings.caFile() != null) {
            b.sslContext(trusting(settings));
        }
        return b.build();
    }

    /** A TLS context that trusts exactly the certificates of {@code nats-ca-file}. */
    private static SSLContext trusting(NatsSettings settings) {
        try (InputStream in = Files.newInputStream(settings.caFile())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IllegalArgumentException("nats-ca-file " + settings.caFile() + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("nats-ca-file " + settings.caFile() + " cannot be read as PEM certificates: "
                + e.getMessage(), e);
        }
    }
}
