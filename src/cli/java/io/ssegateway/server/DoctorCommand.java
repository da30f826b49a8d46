package io.ssegateway.server;

import io.ssegateway.config.Setting;
import io.ssegateway.ops.doctor.ContainerFacts;
import io.ssegateway.ops.doctor.Doctor;
import io.ssegateway.ops.doctor.NginxConfigText;
import io.ssegateway.ops.doctor.ServiceFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sse-gateway doctor}: checks this host (and optionally nginx and a live URL) for N streams. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Checks kernel, process, JVM, nginx or HAProxy, TLS and a live URL for a number of streams; exit 1 on any FAIL.")
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--streams", defaultValue = "10000", description = "Streams to plan for (default ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--nginx", description = "nginx configuration to check: the main file (its includes are followed), "
        + "or - to read the output of 'nginx -T' from standard input.")
    String nginx;

    @Option(names = "--haproxy", description = "HAProxy configuration file to check (e.g. /etc/haproxy/haproxy.cfg).")
    Path haproxy;

    @Option(names = "--url", description = "A running gateway or its proxy, e.g. http://localhost:8080")
    String url;

    @Option(names = "--token", description = "A publisher JWT for the live event check (through a proxy, or when the gateways have a key).")
    String token;

    @Option(names = "--heartbeat", defaultValue = "25s", paramLabel = "DURATION",
        description = "The gateways' heartbeat, as the gateway's own --heartbeat takes it: 25s, 1m (default ${DEFAULT-VALUE}).")
    String heartbeat;

    @Option(names = "--proc", defaultValue = "/proc", hidden = true, description = "Root of the /proc tree (tests).")
    Path proc;

    @Option(names = "--root", defaultValue = "/", hidden = true, description = "Root of the file system, for container facts (tests).")
    Path root;

    @Override
    public Integer call() throws Exception {
        long heartbeatSeconds;
        try {
            heartbeatSeconds = ((java.time.Duration) Setting.HEARTBEAT.type().parse(heartbeat)).toSeconds();
        } catch (IllegalArgumentException e) {
            System.err.println("doctor: --heartbeat " + heartbeat + ": " + e.getMessage());
            return 2;
        }
        String nginxText;
        String haproxyText;
        ServiceFacts service;
        try {
            nginxText = nginx == null ? null
                : nginx.equals("-") ? NginxConfigText.fromStdin(System.in) : NginxConfigText.fromFile(Path.of(nginx));
            haproxyText = haproxy == null ? null : Files.readString(haproxy);
            service = url != null ? ServiceFacts.fetch(url) : null;
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("doctor: no such file: " + e.getFile());
            return 2;
        } catch (IOException | IllegalArgumentException e) {
            // What the doctor was given cannot be read: say which and why, not a stack trace.
            System.err.println("doctor: cannot read what was given: " + e.getMessage());
            return 2;
        }
        return Doctor.report(Doctor.run(streams, proc, ContainerFacts.read(root, System.getenv()), service, nginxText, haproxyText,
            heartbeatSeconds, url, token), System.out);
    }
}
