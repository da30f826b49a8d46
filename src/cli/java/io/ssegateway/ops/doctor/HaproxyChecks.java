package io.ssegateway.ops.doctor;

import io.ssegateway.ops.FileLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an HAProxy configuration and checks what SSE needs for {@code streams} streams. The
 * backend that serves streams is the one that sets {@code X-SSE-Failover} (as the shipped
 * {@code haproxy/sse-gateway.cfg} does) or, failing that, the one {@code /events} is routed to;
 * a setting it lacks is taken from the {@code defaults} section, as HAProxy does.
 */
final class HaproxyChecks {
    private static final Pattern SECTION = Pattern.compile("(?m)^(global|defaults|frontend|backend|listen)\\b[ \\t]*(\\S*)");

    /**
     * Descriptors HAProxy keeps besides two per connection (listeners, checks, logs, its socket
     * pair): it derives maxconn as (limit - this) / 2, measured with 2.6 (20,000 gave 9,986).
     */
    static final long RESERVED_FILES = 28;

    private final Map<String, String> sections = new LinkedHashMap<>();
    private final int streams;
    private final long heartbeatSeconds;
    /** The open-file hard limit HAProxy meets, and where it was read; null if unknown. */
    private final FileLimits limits;

    /** @param limits the open-file limits HAProxy runs under (a running haproxy's, else this process's), or null */
    HaproxyChecks(String config, int streams, long heartbeatSeconds, FileLimits limits) {
        this.limits = limits;
        this.streams = streams;
        this.heartbeatSeconds = heartbeatSeconds;
        String text = config.replaceAll("(?m)^\\s*#.*$", "");
        Matcher m = SECTION.matcher(text);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
            names.add(m.group(1) + (m.group(2).isEmpty() ? "" : " " + m.group(2)));
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
            sections.merge(names.get(i), text.substring(starts.get(i)[1], end), String::concat);
        }
    }

    List<Check> run() {
        List<Check> out = new ArrayList<>();
        String backend = streamBackend();
        if (backend == null) {
            out.add(Check.fail("haproxy backend", "no backend sets X-SSE-Failover or serves /events",
                "start from haproxy/sse-gateway.cfg: its backend sse_events is what streams need"));
            return out;
        }
        String own = sections.get(backend);
        String defaults = sections.getOrDefault("defaults", "");
        out.add(timeout("haproxy server timeout", "server", own, defaults));
        out.add(timeout("haproxy client timeout", "client", frontendsText(), defaults));
        out.add(has(own + defaults + frontendsText(), "\\bcompression\\s+(algo|type)", false, "haproxy compression",
            "no compression on streams", "compression found: it holds events back; remove it from the frontend and " + backend));
        out.add(has(own, "option\\s+httpchk\\s+(GET\\s+)?/ready\\b|http-check\\s+send\\s+.*uri\\s+/ready\\b", true,
            "haproxy health check", "checks /ready", "add 'option httpchk GET /ready' to " + backend
                + ": /ready fails while a node drains or lost its broker"));
        boolean failover = own.contains("X-SSE-Failover") && Pattern.compile("retry-on\\s+[^\\n]*\\b503\\b").matcher(own).find()
            && own.contains("option redispatch");
        out.add(failover ? Check.pass("haproxy failover", "X-SSE-Failover, retry-on 503, option redispatch")
            : Check.fail("haproxy failover", "a full or draining node's refusal is not retried on another node",
                "in " + backend + ": 'http-request set-header X-SSE-Failover on', 'retry-on 503 conn-failure empty-response',"
                    + " 'option redispatch 1'"));
        boolean busy = Pattern.compile("http-(after-)?response\\s+(return|set-status)\\s+(status\\s+)?200").matcher(own).find();
        out.add(busy ? Check.pass("haproxy busy answer", "refusals reach browsers as 200 with a retry")
            : Check.fail("haproxy busy answer", "when every node refuses, browsers get 503 and their EventSource gives up for good",
                "add the http-response return / http-error / http-after-response lines of haproxy/sse-gateway.cfg"));
        out.add(maxconn());
        out.add(nodeProtocol(own, sections.getOrDefault("global", "")));
        return out;
    }

    /** The backend that carries streams. */
    private String streamBackend() {
        for (Map.Entry<String, String> e : sections.entrySet()) {
            if (e.getKey().startsWith("backend ") && e.getValue().contains("X-SSE-Failover")) {
                return e.getKey();
            }
        }
        Matcher route = Pattern.compile("use_backend\\s+(\\S+)\\s+if\\s+.*").matcher(frontendsText());
        while (route.find()) {
            if (route.group(0).contains("events")) {
                return sections.containsKey("backend " + route.group(1)) ? "backend " + route.group(1) : null;
            }
        }
        Matcher fallback = Pattern.compile("default_backend\\s+(\\S+)").matcher(frontendsText());
        return fallback.find() && sections.containsKey("backend " + fallback.group(1)) ? "backend " + fallback.group(1) : null;
    }

    private String frontendsText() {
        StringBuilder sb = new StringBuilder();
        sections.forEach((name, text) -> {
            if (name.startsWith("frontend") || name.startsWith("listen")) {
                sb.append(text);
            }
        });
        return sb.toString();
    }

    private Check timeout(String name, String which, String own, String defaults) {
        Long seconds = timeoutSeconds(own, which);
        String where = "own section";
        if (seconds == null) {
            seconds = timeoutSeconds(defaults, which);
            where = "defaults";
        }
        if (seconds == null) {
            return Check.fail(name, "timeout " + which + " not set (HAProxy warns and never times out, or inherits nothing)",
                "set 'timeout " + which + " 60s' (above the heartbeat, " + heartbeatSeconds + " s)");
        }
        String found = "timeout " + which + " " + seconds + " s (" + where + ")";
        return seconds > heartbeatSeconds ? Check.pass(name, found + " > heartbeat " + heartbeatSeconds + " s")
            : Check.fail(name, found + " <= heartbeat " + heartbeatSeconds + " s",
                "raise it above the heartbeat (e.g. 60s), or HAProxy cuts idle streams");
    }

    private static Long timeoutSeconds(String text, String which) {
        Matcher m = Pattern.compile("\\btimeout\\s+" + which + "\\s+(\\d+)(us|ms|s|m|h|d)?\\b").matcher(text);
        Long last = null;
        while (m.find()) {
            long v = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2); // HAProxy's default unit is milliseconds
            last = switch (unit) {
                case "us" -> v / 1_000_000;
                case "ms" -> v / 1000;
                case "m" -> v * 60;
                case "h" -> v * 3600;
                case "d" -> v * 86_400;
                default -> v;
            };
        }
        return last;
    }

    /**
     * HAProxy 2.6 raises its open-file soft limit to the hard limit and needs about two descriptors
     * per connection: a global maxconn above what the hard limit allows stops it at start
     * ("Cannot raise FD limit") although {@code haproxy -c} passes; without maxconn it derives one
     * from the hard limit.
     */
    private Check maxconn() {
        Matcher m = Pattern.compile("\\bmaxconn\\s+(\\d+)").matcher(sections.getOrDefault("global", ""));
        long needed = 2L * streams + RESERVED_FILES;
        String raise = "raise the open-file hard limit where HAProxy starts to " + needed
            + " (systemd: LimitNOFILE=" + needed + " in 'systemctl edit haproxy'; a container: --ulimit nofile=" + needed + ")";
        if (!m.find()) {
            if (limits == null) {
                return Check.warn("haproxy maxconn", "global maxconn not set: HAProxy derives it from its open-file hard "
                    + "limit, which is not known here", "run the doctor where HAProxy runs");
            }
            long derived = derivedMaxconn();
            String found = "global maxconn not set: HAProxy derives " + derived + " from the hard limit " + limits.hard()
                + " (" + limits.source() + "); " + streams + " streams need " + streams;
            return derived >= streams ? Check.pass("haproxy maxconn", found) : Check.fail("haproxy maxconn", found, raise);
        }
        long maxconn = Long.parseLong(m.group(1));
        long files = 2 * maxconn + RESERVED_FILES;
        if (limits != null && files > limits.hard()) {
            return Check.fail("haproxy maxconn", "global maxconn " + maxconn + " needs about " + files + " open files, above "
                + "the hard limit " + limits.hard() + " (" + limits.source() + "): HAProxy will not start (Cannot raise FD limit)",
                "remove maxconn from global (HAProxy then derives " + derivedMaxconn() + " from the limit), "
                    + "or " + raise);
        }
        String found = "global maxconn " + maxconn + "; " + streams + " streams need " + streams + " client connections";
        return maxconn >= streams ? Check.pass("haproxy maxconn", found)
            : Check.fail("haproxy maxconn", found, "remove maxconn from global and " + raise);
    }

    /** The maxconn HAProxy derives from the hard limit when the configuration sets none. */
    private long derivedMaxconn() {
        return (limits.hard() - RESERVED_FILES) / 2;
    }

    private static Check nodeProtocol(String backend, String global) {
        boolean h2 = Pattern.compile("(?m)^\\s*(server|default-server)\\b.*\\bproto\\s+h2\\b").matcher(backend).find();
        if (!h2) {
            return Check.pass("haproxy node protocol", "HTTP/1.1 to the nodes: one node connection per stream");
        }
        if (!backend.contains("http-reuse always")) {
            return Check.warn("haproxy node protocol", "proto h2 without 'http-reuse always': HAProxy opens a node connection "
                + "per client (measured), so h2 saves nothing", "add 'http-reuse always' to the stream backend");
        }
        if (!global.contains("tune.h2.max-concurrent-streams")) {
            return Check.warn("haproxy node protocol", "proto h2 with HAProxy's default of 100 streams per connection "
                + "(measured: 384 node connections for 38,000 streams)", "add 'tune.h2.max-concurrent-streams 1000' to global");
        }
        return Check.pass("haproxy node protocol", "h2 to the nodes with http-reuse always: streams share connections");
    }

    private static Check has(String text, String regex, boolean wanted, String name, String good, String fix) {
        boolean found = Pattern.compile(regex).matcher(text).find();
        return found == wanted ? Check.pass(name, good) : Check.fail(name, wanted ? "not found" : "found", fix);
    }
}
