package io.ssegateway.ops.doctor;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Checks the TLS of a URL the way a browser meets it: whether ALPN chooses HTTP/2 (only HTTP/2
 * lifts a browser's six connections per origin, each of which an EventSource holds), when the
 * certificate expires, and whether this machine's default trust store accepts it. The
 * certificate is read even when it is not trusted, so its dates are reported either way.
 */
final class TlsChecks {
    /** A certificate closer to its end than this is a warning. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final URI url;

    TlsChecks(String url) {
        this.url = URI.create(url);
    }

    List<Check> run() {
        List<Check> out = new ArrayList<>();
        if (!"https".equals(url.getScheme())) {
            out.add(Check.warn("tls", url.getScheme() + ":// is cleartext: browsers speak HTTP/1.1 to it, six EventSources per origin",
                "serve TLS (--tls-cert-file/--tls-key-file, or at the proxy) so browsers use HTTP/2; or have pages use one"
                    + " stream for all their topics (envelope=json)"));
            return out;
        }
        Recorder recorder = new Recorder();
        String protocol;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recorder}, null);
            int port = url.getPort() < 0 ? 443 : url.getPort();
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), port)) {
                socket.setSoTimeout(5000);
                SSLParameters params = socket.getSSLParameters();
                params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                socket.setSSLParameters(params);
                socket.startHandshake();
                protocol = socket.getApplicationProtocol();
            }
        } catch (IOException | GeneralSecurityException e) {
            out.add(Check.fail("tls handshake", url.getHost() + ": " + e.getMessage(), "check the port serves TLS and the certificate files"));
            return out;
        }
        out.add("h2".equals(protocol) ? Check.pass("tls alpn", "h2 chosen (browsers multiplex their streams on one connection)")
            : Check.fail("tls alpn", "ALPN chose " + (protocol == null || protocol.isEmpty() ? "nothing" : protocol)
                + ": browsers stay on HTTP/1.1, six EventSources per origin",
                "offer h2: the jar does with --tls-cert-file; nginx 'listen 443 ssl http2'; HAProxy 'alpn h2,http/1.1'"));
        X509Certificate leaf = recorder.chain[0];
        out.add(expiry(leaf, Instant.now()));
        out.add(trust(recorder.chain));
        return out;
    }

    static Check expiry(X509Certificate leaf, Instant now) {
        Instant end = leaf.getNotAfter().toInstant();
        String found = leaf.getSubjectX500Principal().getName() + " valid until " + end;
        if (end.isBefore(now)) {
            return Check.fail("tls certificate expiry", found + ": expired", "renew it; the jar reloads renewed files by itself");
        }
        long days = Duration.between(now, end).toDays();
        return end.isBefore(now.plus(EXPIRY_WARNING))
            ? Check.warn("tls certificate expiry", found + " (" + days + " days left)", "renew it now; check that renewal runs")
            : Check.pass("tls certificate expiry", found + " (" + days + " days left)");
    }

    private static Check trust(X509Certificate[] chain) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    x509.checkServerTrusted(chain, chain[0].getPublicKey().getAlgorithm().equals("EC") ? "ECDHE_ECDSA" : "ECDHE_RSA");
                }
            }
            return Check.pass("tls certificate trust", "trusted by this machine's default trust store");
        } catch (CertificateException e) {
            return Check.warn("tls certificate trust", "not trusted by this machine's default trust store: " + e.getMessage(),
                "browsers refuse it unless they trust its issuer (fine for a private CA they trust; not for the public)");
        } catch (GeneralSecurityException e) {
            return Check.warn("tls certificate trust", "could not be judged: " + e.getMessage(), "");
        }
    }

    /** Accepts any chain and keeps it, so that an untrusted certificate's dates are still read. */
    private static final class Recorder implements X509TrustManager {
        private X509Certificate[] chain;

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType) {
            // a client never presents one here
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType) {
            this.chain = c;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
