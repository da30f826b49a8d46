package io.ssegateway.testing;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A TLS client context that accepts any server certificate: tests read certificates, they do not judge them. */
public final class TrustingTls implements X509TrustManager {
    private TrustingTls() {
    }

    public static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingTls()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // not a client-certificate test
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // read, not judged
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
