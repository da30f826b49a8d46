package io.ssegateway.ops.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an nginx configuration (main file with its site configuration pasted in or included
 * files concatenated) and checks what SSE needs for {@code streams} streams.
 */
final class NginxChecks {
    /** As given, with the markers of which file each part came from. */
    private final String raw;
    private final String config;
    private final int streams;
    private final long heartbeatSeconds;

    NginxChecks(String config, int streams, long heartbeatSeconds) {
        this.raw = config;
        this.config = NginxServers.blankComments(config);
        this.streams = streams;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    List<Check> run() {
        List<Check> out = new ArrayList<>();
        out.add(contains("nginx buffering", "proxy_buffering\\s+off", "proxy_buffering off",
            "add 'proxy_buffering off;' to the location that proxies /events, or events wait in nginx's buffers"));
        out.add(contains("nginx http version", "proxy_http_version\\s+1\\.1", "proxy_http_version 1.1",
            "add 'proxy_http_version 1.1;' (HTTP/1.0 to the upstream closes streams and disables keepalive)"));
        out.add(contains("nginx connection hdr", "proxy_set_header\\s+Connection\\s+(\"\"|'')", "proxy_set_header Connection \"\"",
            "add 'proxy_set_header Connection \"\";' so nginx does not send Connection: close upstream"));
        out.add(readTimeout());
        out.add(workerConnections());
        out.add(rlimit());
        out.add(contains("nginx keepalive", "upstream\\s+\\S+\\s*\\{[^}]*\\bkeepalive\\s+\\d+", "upstream keepalive",
            "add 'keepalive 64;' to the upstream block (with proxy_http_version 1.1 and an empty Connection header)"));
        Check answering = whoAnswers();
        if (answering != null) {
            out.add(answering);
        }
        return out;
    }

    /**
     * Whether requests reach the server block that proxies /events, or another server (Debian's
     * default site) answers them with its own page; null if no server block proxies /events.
     */
    private Check whoAnswers() {
        List<NginxServers.Server> servers = NginxServers.parse(raw);
        NginxServers.Server gateway = servers.stream().filter(NginxServers.Server::streams).findFirst().orElse(null);
        if (gateway == null) {
            return null;
        }
        List<String> elsewhere = new ArrayList<>();
        String other = null;
        for (String address : gateway.listens().keySet()) {
            NginxServers.Server answering = NginxServers.defaultFor(servers, address);
            if (!gateway.equals(answering)) {
                elsewhere.add(address);
                other = answering.source();
            }
        }
        if (elsewhere.isEmpty()) {
            return Check.pass("nginx default server", "the server with /events is the default for "
                + String.join(", ", gateway.listens().keySet()) + ": every Host reaches the gateway");
        }
        String fix = "add the names browsers use (and any address you test with) to server_name in " + gateway.source()
            + ", or, if this nginx serves only the gateway, disable the other server (Debian: sudo rm "
            + "/etc/nginx/sites-enabled/default) so the gateway's server is the first on the port";
        String where = String.join(", ", elsewhere) + ": the default server is the one in " + other;
        return gateway.hasNames()
            ? Check.warn("nginx default server", where + "; only Host " + String.join(" ", gateway.names())
                + " reaches the gateway, any other name or address (http://127.0.0.1/) gets that server's page", fix)
            : Check.fail("nginx default server", where + ", and the server with /events has no server_name: "
                + "no request reaches the gateway", fix);
    }

    private Check contains(String name, String regex, String what, String fix) {
        return Pattern.compile(regex).matcher(config).find() ? Check.pass(name, what)
            : Check.fail(name, what + " not found", fix);
    }

    private Check readTimeout() {
        Matcher m = Pattern.compile("proxy_read_timeout\\s+(\\d+)(ms|s|m|h)?\\s*;").matcher(config);
        long longest = -1;
        while (m.find()) {
            long seconds = seconds(Long.parseLong(m.group(1)), m.group(2));
            longest = Math.max(longest, seconds);
        }
        if (longest < 0) {
            return Check.fail("nginx read timeout", "proxy_read_timeout not set: nginx's 60 s default applies",
                "set 'proxy_read_timeout 1h;' for /events (it must exceed the heartbeat, " + heartbeatSeconds + " s)");
        }
        return longest > heartbeatSeconds
            ? Check.pass("nginx read timeout", "proxy_read_timeout " + longest + " s > heartbeat " + heartbeatSeconds + " s")
            : Check.fail("nginx read timeout", "proxy_read_timeout " + longest + " s <= heartbeat " + heartbeatSeconds + " s",
                "raise proxy_read_timeout above the heartbeat (e.g. 1h), or streams are cut while idle");
    }

    private Check workerConnections() {
        Long connections = number("worker_connections");
        Long workers = number("worker_processes");
        long workerCount = workers == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : workers;
        long needed = 2L * streams;
        if (connections == null) {
            return Check.fail("nginx connections", "worker_connections not set (default 512)",
                "set 'worker_connections " + needed / workerCount + ";' in events {}");
        }
        String found = "worker_connections " + connections + " x " + workerCount + " workers = " + connections * workerCount
            + "; need " + needed + " (client + upstream per stream)";
        return connections * workerCount >= needed ? Check.pass("nginx connections", found)
            : Check.fail("nginx connections", found, "set 'worker_connections " + (needed / workerCount + 1) + ";'");
    }

    private Check rlimit() {
        Long rlimit = number("worker_rlimit_nofile");
        Long connections = number("worker_connections");
        if (rlimit == null) {
            return Check.fail("nginx rlimit", "worker_rlimit_nofile not set: workers inherit the service's limit",
                "set 'worker_rlimit_nofile " + Math.max(2L * streams, connections == null ? 0 : connections) + ";'");
        }
        return connections == null || rlimit >= connections
            ? Check.pass("nginx rlimit", "worker_rlimit_nofile " + rlimit)
            : Check.fail("nginx rlimit", "worker_rlimit_nofile " + rlimit + " < worker_connections " + connections,
                "set 'worker_rlimit_nofile " + connections + ";' or more");
    }

    private Long number(String directive) {
        Matcher m = Pattern.compile("\\b" + directive + "\\s+(\\d+)\\s*;").matcher(config);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    private static long seconds(long value, String unit) {
        if (unit == null || unit.equals("s")) {
            return value;
        }
        return switch (unit) {
            case "ms" -> value / 1000;
            case "m" -> value * 60;
            default -> value * 3600;
        };
    }
}
