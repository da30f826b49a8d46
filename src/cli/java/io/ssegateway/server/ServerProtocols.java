package io.ssegateway.server;

import io.ssegateway.config.TlsSettings;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The protocols of the embedded server's one port.
 * <ul>
 *   <li>Cleartext (no TLS files): HTTP/1.1, and HTTP/2 for clients that start with its preface
 *       (prior knowledge, as proxies speaking h2 to a backend do); {@code Upgrade: h2c} is declined
 *       (see {@link PriorKnowledgeOnly}).</li>
 *   <li>TLS: ALPN offers {@code h2} and {@code http/1.1}; a client that names neither gets
 *       HTTP/1.1. Browsers use HTTP/2 only over TLS, and only HTTP/2 lifts their limit of six
 *       connections per origin, each of which an EventSource holds.</li>
 * </ul>
 * Both HTTP/2 factories advertise {@code h2-max-concurrent-streams}.
 */
final class ServerProtocols {
    private static final System.Logger LOG = System.getLogger(ServerProtocols.class.getName());
    /** A certificate this close to its end is logged as a warning at start-up. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private ServerProtocols() {
    }

    /** Cleartext HTTP/1.1 and h2c with prior knowledge. */
    static ConnectionFactory[] cleartext(HttpConfiguration http, TlsSettings settings) {
        HTTP2CServerConnectionFactory h2c = new PriorKnowledgeOnly(http);
        configure(h2c, settings);
        return new ConnectionFactory[] {new Http1ReadsOnPool(http), h2c};
    }

    /**
     * TLS with ALPN over HTTP/2 and HTTP/1.1, and the bean that reloads the certificate; the pair is
     * read and checked now, so a bad file stops start-up naming it.
     */
    static ConnectionFactory[] tls(Server server, HttpConfiguration http, TlsSettings settings) {
        PemCredentials credentials = PemCredentials.read(settings.certFile(), settings.keyFile());
        warnIfExpiring(credentials);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(credentials.keyStore());
        ssl.setKeyStorePassword(PemCredentials.STORE_PASSWORD);
        // HTTP/2 forbids the ciphers RFC 9113 lists; prefer the allowed ones so h2 is negotiable.
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);

        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients reach nodes by IP address or by names the certificate may not list (a pool behind
        // a balancer); the certificate's names are the client's business, as with any TLS server.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);

        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        configure(h2, settings);
        HttpConnectionFactory h1 = new Http1ReadsOnPool(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(h1.getProtocol());
        SslConnectionFactory tls = new SslConnectionFactory(ssl, alpn.getProtocol());
        server.addBean(new CertificateReloader(ssl, settings.certFile(), settings.keyFile(), settings.reloadInterval(),
            server.getScheduler()));
        LOG.log(Level.INFO, "TLS with {0} ({1}), valid until {2}; ALPN h2, http/1.1", settings.certFile(),
            credentials.leaf().getSubjectX500Principal(), credentials.leaf().getNotAfter().toInstant());
        return new ConnectionFactory[] {tls, alpn, h2, h1};
    }

    /**
     * h2c for clients that start with the HTTP/2 preface; an HTTP/1.1 request asking for
     * {@code Upgrade: h2c} is served as HTTP/1.1 instead. Why: Jetty's upgrade of a request that has
     * a body stalls or loses the body (measured: {@code curl --http2 -d …} hung, and the JDK's
     * {@code HttpClient}, which asks for the upgrade by default, had its 1,025-byte publish accepted
     * past a 1,024-byte limit). Publishers are exactly such clients; browsers never use h2c.
     */
    private static final class PriorKnowledgeOnly extends HTTP2CServerConnectionFactory {
        PriorKnowledgeOnly(HttpConfiguration http) {
            super(http);
        }

        @Override
        public Connection upgradeConnection(Connector connector, EndPoint endPoint, MetaData.Request request,
                                            HttpFields.Mutable response101) {
            // The preface arrives as the pseudo-request "PRI * HTTP/2.0"; anything else asked to upgrade.
            return "PRI".equals(request.getMethod()) ? super.upgradeConnection(connector, endPoint, request, response101) : null;
        }
    }

    private static void configure(AbstractHTTP2ServerConnectionFactory h2, TlsSettings settings) {
        h2.setMaxConcurrentStreams(settings.h2MaxConcurrentStreams());
    }

    private static void warnIfExpiring(PemCredentials credentials) {
        Instant end = credentials.leaf().getNotAfter().toInstant();
        if (end.isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            LOG.log(Level.WARNING, "TLS certificate {0} {1} at {2}: renew it (the gateway reloads the files by itself)",
                credentials.leaf().getSubjectX500Principal(), end.isBefore(Instant.now()) ? "expired" : "expires", end);
        }
    }
}
