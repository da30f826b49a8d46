package io.ssegateway.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS and HTTP/2 of the embedded server (the jar only; a WAR's container has its own).
 *
 * @param certFile               PEM certificate chain, or null for cleartext
 * @param keyFile                PEM private key of {@code certFile}, or null for cleartext
 * @param reloadInterval         how often the two files are checked for change
 * @param h2MaxConcurrentStreams HTTP/2 streams one connection may hold open
 */
public record TlsSettings(Path certFile, Path keyFile, Duration reloadInterval, int h2MaxConcurrentStreams) {
    /** True if the port serves HTTPS. */
    public boolean enabled() {
        return certFile != null;
    }
}
