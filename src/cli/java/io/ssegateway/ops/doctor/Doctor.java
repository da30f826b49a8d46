package io.ssegateway.ops.doctor;

import io.ssegateway.ops.FileLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks every layer between the kernel and the browser (kernel and process, nginx or HAProxy, TLS
 * and a live stream) for a planned number of streams and
 * prints one line per check; FAIL lines carry their fix.
 */
public final class Doctor {
    private Doctor() {
    }

    /**
     * Runs the checks.
     *
     * @param procRoot     {@code /proc} (or a directory with the same layout, for tests)
     * @param nginxConfig  nginx configuration text, or null to skip
     * @param haproxyConfig HAProxy configuration text, or null to skip
     * @param service      what the running gateway reports of its heap and limits, or null if unknown
     * @param url          a running gateway (or its proxy), or null to skip
     * @param token        a publisher JWT for the live event check, or null
     */
    public static List<Check> run(int streams, Path procRoot, ServiceFacts service, String nginxConfig,
                                  String haproxyConfig, long heartbeatSeconds, String url, String token) {
        return run(streams, procRoot, ContainerFacts.NONE, service, nginxConfig, haproxyConfig, heartbeatSeconds, url, token);
    }

    /** As above, for a doctor that runs in a container with {@code container}'s limits. */
    public static List<Check> run(int streams, Path procRoot, ContainerFacts container, ServiceFacts service, String nginxConfig,
                                  String haproxyConfig, long heartbeatSeconds, String url, String token) {
        List<Check> checks = new ArrayList<>(new SystemChecks(procRoot, streams, container).run(service));
        if (nginxConfig != null) {
            checks.addAll(new NginxChecks(nginxConfig, streams, heartbeatSeconds).run());
        }
        if (haproxyConfig != null) {
            checks.addAll(new HaproxyChecks(haproxyConfig, streams, heartbeatSeconds, haproxyLimits(procRoot)).run());
        }
        if (url != null) {
            checks.addAll(new TlsChecks(url).run());
            checks.addAll(new LiveChecks(url, token).run());
        }
        return checks;
    }

    /**
     * The open-file limits HAProxy meets: a running haproxy's, else this process's (HAProxy started
     * from this shell gets the same; under systemd its unit's LimitNOFILE applies); null if unreadable.
     */
    static FileLimits haproxyLimits(Path procRoot) {
        try (Stream<Path> processes = Files.list(procRoot)) {
            for (Path p : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                FileLimits running = haproxyIn(p);
                if (running != null) {
                    return running;
                }
            }
            return FileLimits.parse(Files.readAllLines(procRoot.resolve("self/limits")),
                "this shell's, ulimit -Hn; no haproxy runs here");
        } catch (IOException e) {
            return null;
        }
    }

    /** The limits of process {@code dir} if it is haproxy; null if not, or if it ended while read. */
    private static FileLimits haproxyIn(Path dir) {
        try {
            Path comm = dir.resolve("comm");
            // readAllLines: Files.readString reads one byte of a procfs file (it reports size 0).
            if (!Files.isReadable(comm) || !Files.readAllLines(comm).equals(java.util.List.of("haproxy"))) {
                return null;
            }
            return FileLimits.parse(Files.readAllLines(dir.resolve("limits")), "the running haproxy, pid " + dir.getFileName());
        } catch (IOException ended) {
            return null;
        }
    }

    /** Prints the checks and a summary; returns the exit code (1 if any failed). */
    public static int report(List<Check> checks, PrintStream out) {
        int failed = 0;
        int warned = 0;
        for (Check c : checks) {
            out.println(c.line());
            if (c.verdict() == Check.Verdict.FAIL) {
                failed++;
            } else if (c.verdict() == Check.Verdict.WARN) {
                warned++;
            }
        }
        out.printf("%d checks: %d passed, %d warnings, %d failed%n", checks.size(), checks.size() - failed - warned,
            warned, failed);
        return failed > 0 ? 1 : 0;
    }
}
