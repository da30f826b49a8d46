package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.auth.Tokens;
import io.ssegateway.ops.doctor.Check;
import io.ssegateway.ops.doctor.Doctor;
import io.ssegateway.ops.doctor.NginxConfigText;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.Processes;
import io.ssegateway.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, point 2 (and issue 13, points 5 and 6): the README's nginx install steps on a copy of
 * Debian's whole stock {@code /etc/nginx}, its default site enabled, run by a real nginx: a stream
 * and a publish made with curl through it reach the gateway; the doctor names the default site as
 * what answers other names; with the default site disabled, every Host reaches the gateway.
 *
 * <p>The copy is Debian's tree as installed. Three things differ, all forced by running beside the
 * machine's own nginx: paths under {@code /etc/nginx}, {@code /var/log/nginx} and the pid file point
 * into the copy, and port 80 is a free port, the same in every {@code listen} line (the default
 * site's too), so the two servers meet on one port as they do on a real host.
 */
class NginxInstallIT {
    private static final Path DEBIAN = Path.of("/etc/nginx");
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    /** Debian's compiled-in prefix, which the service runs with: load_module's relative paths resolve against it. */
    private static final String PREFIX = "/usr/share/nginx";
    private Process nginx;

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReadmesStepsOnDebiansStockNginxServeStreamsAndPublishesAndTheDoctorNamesTheDefaultSite() throws Exception {
        assertTrue(Files.isSymbolicLink(DEBIAN.resolve("sites-enabled/default")),
            "needs Debian's nginx with its default site enabled (.ci/install-test-programs installs nginx-light)");
        int port = GatewayProcess.freePort();
        Path etc = stockCopy(port);
        // Publishing through a proxy needs a token (a proxied request is not a loopback client).
        Path secret = Files.writeString(etc.resolve("secret"), Tokens.SECRET);
        String token = Tokens.hs256(List.of("install-*"), List.of(), java.time.Duration.ofMinutes(10));
        try (TestGateway node = TestGateway.start("auth-hs256-secret-file", secret.toString())) {
            // The README's steps: the two files copied, the upstream servers edited (one node, on its
            // memory broker, stands behind both lines: a stream and its publish may take either).
            Files.writeString(etc.resolve("conf.d/sse-gateway.conf"), onPort(Files.readString(Path.of("nginx/sse-gateway.conf")), port)
                .replace("server 127.0.0.1:8081", "server 127.0.0.1:" + node.port())
                .replace("server 127.0.0.1:8082", "server 127.0.0.1:" + node.port()));
            Files.copy(Path.of("nginx/sse-gateway-internal.conf"), etc.resolve("sse-gateway-internal.conf"));
            assertNginx(etc, "-t");
            nginx = new ProcessBuilder(NGINX.toString(), "-p", PREFIX, "-c", etc.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(etc.resolve("log/stdout.log").toFile()).start();

            // localhost (the name the shipped server_name lists), over IPv4 and IPv6 as curl tries it,
            // once nginx listens (it binds after it started: a curl sooner is refused).
            for (String base : List.of("http://127.0.0.1:" + port, "http://[::1]:" + port)) {
                awaitGateway(base, "localhost");
                assertStreamAndPublish(base, "localhost", token);
            }
            // Another name goes to Debian's default site, and the doctor says so with the fix.
            String page = curl("-s", "-H", "Host: 127.0.0.1", "http://127.0.0.1:" + port + "/events?topic=x");
            assertTrue(page.contains("<html>") && page.contains("404"), "Debian's default site answers: " + page);
            Check live = Doctor.run(1, Path.of("/proc"), null, null, null, 25, "http://127.0.0.1:" + port, null).stream()
                .filter(c -> c.name().equals("url sse headers")).findFirst().orElseThrow();
            assertEquals(Check.Verdict.FAIL, live.verdict(), live.line());
            assertTrue(live.fix().contains("HTML page") && live.fix().contains("default server") && live.fix().contains("--nginx"),
                live.line());
            Check answering = check(etc, "nginx default server");
            assertEquals(Check.Verdict.WARN, answering.verdict(), answering.line());
            assertTrue(answering.found().contains("sites-enabled/default") && answering.found().contains("Host localhost"),
                answering.line());
            assertTrue(answering.fix().contains("server_name") && answering.fix().contains("rm /etc/nginx/sites-enabled/default"),
                answering.line());

            // The README's alternative for an nginx that serves only the gateway: disable the default site.
            Files.delete(etc.resolve("sites-enabled/default"));
            assertNginx(etc, "-s", "reload");
            assertEquals(Check.Verdict.PASS, check(etc, "nginx default server").verdict());
            awaitGateway("http://127.0.0.1:" + port, "127.0.0.1");
            assertStreamAndPublish("http://127.0.0.1:" + port, "127.0.0.1", token);

            // The README's two worker lines; then every nginx check passes.
            Path conf = etc.resolve("nginx.conf");
            Files.writeString(conf, Files.readString(conf).replaceFirst("worker_connections\\s+\\d+;", "worker_connections 131072;")
                .replaceFirst("(?m)^pid ", "worker_rlimit_nofile 262144;\npid "));
            assertNginx(etc, "-t");
            nginxChecks(etc).forEach(c -> assertEquals(Check.Verdict.PASS, c.verdict(), c.line()));
        }
    }

    /** A stream opened with curl -N, and a publish with curl -d, both through nginx with {@code host}. */
    private static void assertStreamAndPublish(String base, String host, String token) throws Exception {
        String topic = "install-" + System.nanoTime();
        Process stream = new ProcessBuilder("curl", "-sN", "--max-time", "10", "-H", "Host: " + host,
            base + "/events?topic=" + topic).start();
        try (InputStream body = stream.getInputStream()) {
            String first = readUntil(body, ": sse-gateway\n");
            assertTrue(first.startsWith(": sse-gateway"), base + " with Host " + host + " is a gateway stream: " + first);
            String answer = curl("-s", "-H", "Host: " + host, "-H", "Authorization: Bearer " + token, "-d", "through nginx", base + "/publish?topic=" + topic);
            assertTrue(answer.contains("\"id\""), "publish through nginx: " + answer);
            String id = Json.field(answer, "id");
            String event = readUntil(body, "data: through nginx\n\n");
            assertTrue(event.contains("id: " + id + "\ndata: through nginx\n\n"), event);
        } finally {
            stream.destroy();
            stream.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitGateway(String base, String host) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!curl("-s", "-H", "Host: " + host, base + "/health").contains("\"status\"")) {
            assertTrue(System.nanoTime() < deadline, "nginx answers for " + host + " at " + base);
            Thread.sleep(100);
        }
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        while (seen.indexOf(marker) < 0) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "10"));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, Duration.ofSeconds(15)).output();
    }

    /** Debian's /etc/nginx as installed, links and all, with its paths and port 80 moved (see the class comment). */
    private static Path stockCopy(int port) throws IOException {
        Path etc = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "etc-nginx-");
        Files.createDirectories(etc.resolve("log"));
        try (Stream<Path> files = Files.walk(DEBIAN)) {
            for (Path from : files.toList()) {
                Path to = etc.resolve(DEBIAN.relativize(from).toString());
                if (Files.isSymbolicLink(from)) {
                    String target = Files.readSymbolicLink(from).toString();
                    Files.createSymbolicLink(to, Path.of(target.startsWith(DEBIAN + "/") ? etc + target.substring(DEBIAN.toString().length()) : target));
                } else if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else {
                    Files.writeString(to, onPort(Files.readString(from, StandardCharsets.ISO_8859_1), port)
                        .replace("/etc/nginx/", etc + "/").replace("/var/log/nginx/", etc + "/log/")
                        .replace("/run/nginx.pid", etc + "/nginx.pid"), StandardCharsets.ISO_8859_1);
                }
            }
        }
        return etc;
    }

    private static String onPort(String config, int port) {
        return config.replaceAll("(?m)^(\\s*listen\\s+(?:\\[::\\]:)?)80\\b", "$1" + port);
    }

    private static Check check(Path etc, String name) throws Exception {
        return nginxChecks(etc).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Check> nginxChecks(Path etc) throws Exception {
        return Doctor.run(100_000, Path.of("/proc"), null, NginxConfigText.fromFile(etc.resolve("nginx.conf")), null, 25, null, null)
            .stream().filter(c -> c.name().startsWith("nginx")).toList();
    }

    private static void assertNginx(Path etc, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(NGINX.toString(), "-p", PREFIX, "-c", etc.resolve("nginx.conf").toString()));
        cmd.addAll(List.of(args));
        Processes.Ran ran = Processes.run(cmd, Duration.ofSeconds(30));
        assertEquals(0, ran.exit(), String.join(" ", cmd) + ": " + ran.output());
    }
}
