package io.ssegateway.ops.doctor;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        List<Check> checks = new ArrayList<>(new SystemChecks(procRoot, streams).run(service));
        if (nginxConfig != null) {
            checks.addAll(new NginxChecks(nginxConfig, streams, heartbeatSeconds).run());
        }
        if (haproxyConfig != null) {
            checks.addAll(new HaproxyChecks(haproxyConfig, streams, heartbeatSeconds).run());
        }
        if (url != null) {
            checks.addAll(new TlsChecks(url).run());
            checks.addAll(new LiveChecks(url, token).run());
        }
        return checks;
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
