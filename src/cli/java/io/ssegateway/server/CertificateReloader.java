package io.ssegateway.server;

import io.ssegateway.config.ConfigException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Puts a renewed certificate into service without a restart: every interval it compares the
 * contents of the certificate and key files with what is in use and, when they changed and the new
 * pair reads and matches, reloads Jetty's TLS context. New handshakes use the new certificate;
 * open connections keep theirs. A pair that does not load (a renewal caught halfway, a key for
 * another certificate) is logged with the reason and the old pair stays in use until the files are
 * right.
 *
 * <p>Contents, not modification times, are compared: certbot and Kubernetes secrets replace files
 * through symbolic links, and copies can keep their old times.
 */
final class CertificateReloader extends AbstractLifeCycle {
    private static final System.Logger LOG = System.getLogger(CertificateReloader.class.getName());

    private final SslContextFactory.Server tls;
    private final Path certFile;
    private final Path keyFile;
    private final long intervalMillis;
    private final Scheduler scheduler;
    /** Digest of the pair in use; touched only by the scheduler's task (and start). */
    private byte[] inUse;
    private volatile Scheduler.Task next;

    CertificateReloader(SslContextFactory.Server tls, Path certFile, Path keyFile, Duration interval, Scheduler scheduler) {
        this.tls = tls;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.intervalMillis = interval.toMillis();
        this.scheduler = scheduler;
    }

    @Override
    protected void doStart() throws Exception {
        inUse = digest();
        schedule();
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
        super.doStop();
    }

    private void schedule() {
        next = scheduler.schedule(this::check, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** One check; reschedules itself while running. */
    void check() {
        try {
            byte[] now = digest();
            if (!Arrays.equals(now, inUse)) {
                PemCredentials fresh = PemCredentials.read(certFile, keyFile);
                tls.reload(factory -> factory.setKeyStore(fresh.keyStore()));
                inUse = now;
                LOG.log(Level.INFO, "TLS certificate reloaded from {0}: {1}, valid until {2}", certFile,
                    fresh.leaf().getSubjectX500Principal(), fresh.leaf().getNotAfter().toInstant());
            }
        } catch (ConfigException | IOException e) {
            LOG.log(Level.WARNING, "TLS certificate not reloaded, the previous one stays in use: {0}", e.getMessage());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "TLS certificate not reloaded, the previous one stays in use", e);
        } finally {
            if (isRunning()) {
                schedule();
            }
        }
    }

    private byte[] digest() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(certFile));
            sha.update(Files.readAllBytes(keyFile));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
