package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.ops.doctor.Check;
import io.ssegateway.ops.doctor.Doctor;
import io.ssegateway.ops.doctor.NginxConfigText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, points 5 and 6: the README's nginx install steps on Debian's own nginx.conf (kept, with
 * its sites-enabled): the shipped files go in as includes with no path edits, nginx accepts the
 * result, and the doctor, following the includes, passes once the two worker lines the README names
 * are set. The Debian tree is copied, with /etc/nginx and /var/log/nginx moved into a temporary
 * directory; nothing of the machine's nginx is touched.
 */
class NginxInstallIT {
    private static final Path DEBIAN = Path.of("/etc/nginx");

    @Test
    void theReadmesStepsOnDebiansNginxConfGiveAConfigurationNginxAcceptsAndTheDoctorPasses() throws Exception {
        assertTrue(Files.isRegularFile(DEBIAN.resolve("nginx.conf")), "needs Debian's nginx (.ci/install-test-programs installs nginx-light)");
        Path etc = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "etc-nginx-");
        Path logs = Files.createDirectories(etc.resolve("log"));
        String moved = etc + "/";
        Files.writeString(etc.resolve("nginx.conf"), Files.readString(DEBIAN.resolve("nginx.conf"))
            .replace("/etc/nginx/", moved).replace("/var/log/nginx/", logs + "/").replace("/run/nginx.pid", etc + "/nginx.pid"));
        Files.copy(DEBIAN.resolve("mime.types"), etc.resolve("mime.types"));
        for (String dir : List.of("conf.d", "sites-enabled", "modules-enabled")) {
            Files.createDirectories(etc.resolve(dir));
        }
        // The README's steps: two files copied, nothing edited but the upstream servers.
        Files.copy(Path.of("nginx/sse-gateway.conf"), etc.resolve("conf.d/sse-gateway.conf"));
        Files.copy(Path.of("nginx/sse-gateway-internal.conf"), etc.resolve("sse-gateway-internal.conf"));
        assertNginxAccepts(etc);

        List<Check> before = nginxChecks(etc);
        assertEquals(List.of("nginx connections", "nginx rlimit"), before.stream().filter(c -> c.verdict() == Check.Verdict.FAIL)
            .map(Check::name).toList(), "only the worker limits the README says to set");
        // The README's two lines in nginx.conf.
        Path conf = etc.resolve("nginx.conf");
        Files.writeString(conf, Files.readString(conf).replaceFirst("worker_connections\\s+\\d+;", "worker_connections 131072;")
            .replaceFirst("(?m)^pid ", "worker_rlimit_nofile 262144;\npid "));
        assertNginxAccepts(etc);
        nginxChecks(etc).forEach(c -> assertEquals(Check.Verdict.PASS, c.verdict(), c.line()));
    }

    private static List<Check> nginxChecks(Path etc) throws Exception {
        return Doctor.run(100_000, Path.of("/proc"), null, NginxConfigText.fromFile(etc.resolve("nginx.conf")), null, 25, null, null)
            .stream().filter(c -> c.name().startsWith("nginx")).toList();
    }

    private static void assertNginxAccepts(Path etc) throws Exception {
        Process p = new ProcessBuilder("/usr/sbin/nginx", "-t", "-p", etc.toString(), "-c", etc.resolve("nginx.conf").toString())
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
