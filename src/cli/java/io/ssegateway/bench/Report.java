package io.ssegateway.bench;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes the benchmark's report.json and a self-contained report.html (inline SVG charts). */
public final class Report {
    private Report() {
    }

    /** The machine the numbers come from. */
    public static JsonObject machine() {
        String load = "";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            // not Linux
        }
        return Json.createObjectBuilder()
            .add("cores", Runtime.getRuntime().availableProcessors())
            .add("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
            .add("loadavgAtEnd", load).build();
    }

    public static void write(JsonObject report, Path out) throws IOException {
        Files.writeString(out.resolve("report.json"), report.toString());
        StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>sse-gateway benchmark</title><style>body{font:15px system-ui,sans-serif;margin:2rem;color:#111}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}svg{border:1px solid #ddd;margin:.3rem;"
            + "display:block}</style></head><body>");
        html.append("<h1>sse-gateway benchmark</h1>");
        machineTable(html, report);
        html.append("<h2>Results</h2>")
            .append("<table><tr><th>scenario</th><th>streams</th><th>received</th><th>lost</th><th>dup</th>"
                + "<th>deliveries/s</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>gateway CPU µs/delivery</th>"
                + "<th>RSS/stream</th><th>heap/stream</th></tr>");
        for (String s : new String[] {"s1", "s2", "s3", "s4", "million"}) {
            if (report.containsKey(s)) {
                row(html, s, report.getJsonObject(s));
            }
        }
        if (report.containsKey("s5")) {
            JsonObject s5 = report.getJsonObject("s5");
            html.append(String.format(Locale.ROOT, "<tr><td>s5 (%d nodes)</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
                    + "<td></td><td></td><td>%.1f (worst node)</td><td></td><td></td><td></td><td></td></tr>",
                s5.getInt("nodes"), s5.getJsonNumber("streams").longValue(), s5.getJsonNumber("received").longValue(),
                s5.getJsonNumber("lost").longValue(), s5.getJsonNumber("duplicates").longValue(),
                s5.getJsonNumber("worstP99Ms").doubleValue()));
        }
        html.append("</table>");
        publicationsTable(html, report);
        if (report.containsKey("s6")) {
            brokerTable(html, report.getJsonObject("s6"));
        }
        if (report.containsKey("million") && report.getJsonObject("million").containsKey("restart")) {
            restartTable(html, report.getJsonObject("million"));
        }
        for (String s : new String[] {"s1", "s2", "s3", "s4", "s5", "million"}) {
            if (report.containsKey(s) && report.getJsonObject(s).containsKey("samples")) {
                JsonArray samples = report.getJsonObject(s).getJsonArray("samples");
                html.append("<h2>").append(s).append("</h2>")
                    .append(chart(samples, "streams", "Open streams", "streams", 1))
                    .append(chart(samples, "rssBytes", "Gateway resident memory", "RSS (MB)", 1.0 / (1024 * 1024)))
                    .append(chart(samples, "p99Ms", "Publish-to-write latency, p99 of each interval", "p99 (ms)", 1));
            }
        }
        html.append("</body></html>");
        Files.writeString(out.resolve("report.html"), html);
    }

    /**
     * One line comparing a scenario under two JVM configurations: memory per idle stream (S1) or
     * deliveries per second (S2–S4).
     */
    public static String comparison(String scenario, String label, JsonObject a, JsonObject b) {
        if (!a.containsKey(scenario) || !b.containsKey(scenario) || scenario.equals("s5")) {
            return scenario + ": no comparison";
        }
        JsonObject ga = a.getJsonObject(scenario).getJsonObject("gateway");
        JsonObject gb = b.getJsonObject(scenario).getJsonObject("gateway");
        JsonObject la = a.getJsonObject(scenario).getJsonObject("load");
        JsonObject lb = b.getJsonObject(scenario).getJsonObject("load");
        if (ga.containsKey("rssPerStreamBytes")) {
            double ra = ga.getJsonNumber("rssPerStreamBytes").doubleValue();
            double rb = gb.getJsonNumber("rssPerStreamBytes").doubleValue();
            return String.format(Locale.ROOT, "%s: RSS per idle stream %.0f B with %s, %.0f B with plain java -jar (%.2fx)",
                scenario, ra, label, rb, ra / rb);
        }
        double da = la.getJsonNumber("deliveriesPerSecond").doubleValue();
        double db = lb.getJsonNumber("deliveriesPerSecond").doubleValue();
        return String.format(Locale.ROOT, "%s: %.0f deliveries/s with %s, %.0f with plain java -jar (%.2fx)",
            scenario, da, label, db, db > 0 ? da / db : 0);
    }

    /** Where the numbers come from, one labelled row each. */
    private static void machineTable(StringBuilder html, JsonObject report) {
        JsonObject machine = report.getJsonObject("machine");
        html.append("<h2>Machine and gateway</h2><table>");
        machineRow(html, "cores (shared by gateway and load)", Integer.toString(machine.getInt("cores")));
        machineRow(html, "operating system", machine.getString("os"));
        machineRow(html, "load average at the end", machine.getString("loadavgAtEnd"));
        machineRow(html, "gateway JVM flags", report.getString("gatewayJvm"));
        machineRow(html, "JDK", report.getString("javaHome"));
        if (report.containsKey("h2StreamsPerConnection")) {
            int h2 = report.getInt("h2StreamsPerConnection");
            machineRow(html, "protocol of the load", h2 > 0 ? "HTTP/2 (h2c), " + h2 + " streams per connection"
                : "HTTP/1.1, one connection per stream");
        }
        html.append("</table>");
    }

    private static void machineRow(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(escape(name)).append("</th><td style=\"text-align:left\">").append(escape(value))
            .append("</td></tr>");
    }

    /** Each publication's publish-to-receive latency, for the scenarios that made few (the million's broadcasts). */
    private static void publicationsTable(StringBuilder html, JsonObject report) {
        StringBuilder rows = new StringBuilder();
        for (String s : new String[] {"s1", "s2", "s3", "s4", "million"}) {
            JsonObject load = report.containsKey(s) ? report.getJsonObject(s).getJsonObject("load") : null;
            if (load == null || !load.containsKey("latencyMsByPublication")) {
                continue;
            }
            JsonArray each = load.getJsonArray("latencyMsByPublication");
            for (int i = 0; i < each.size(); i++) {
                JsonObject p = each.getJsonObject(i);
                rows.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>",
                    s, i + 1, p.getJsonNumber("deliveries").longValue(), p.getJsonNumber("p50").doubleValue(),
                    p.getJsonNumber("p99").doubleValue(), p.getJsonNumber("max").doubleValue()));
            }
        }
        if (rows.length() > 0) {
            html.append("<h2>Each publication: publish-to-receive on every stream</h2><table><tr><th>scenario</th>"
                + "<th>publication</th><th>deliveries</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th></tr>").append(rows)
                .append("</table>");
        }
    }

    /** The million scenario's drain and restart storm, counted from the SIGTERM. */
    private static void restartTable(StringBuilder html, JsonObject million) {
        JsonObject restart = million.getJsonObject("restart");
        html.append("<h2>Restart storm (million): SIGTERM while held, events published meanwhile, a new process</h2><table>"
            + "<tr><th>SIGTERM to exit s</th><th>node ready again s</th><th>last stream back s</th><th>last event s</th>"
            + "<th>streams back</th><th>missed events</th><th>lost</th><th>dup</th><th>out of order</th>"
            + "<th>readiness probes failed during the storm: main port</th><th>management port</th></tr>");
        JsonObject probes = restart.getJsonObject("readinessProbesDuringStorm");
        html.append(String.format(Locale.ROOT, "<tr><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%d</td><td>%d</td>"
                + "<td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr></table>",
            million.getJsonObject("gateway").getJsonNumber("sigtermToExitMillis").longValue() / 1000.0,
            restart.getJsonNumber("nodeReadyAfterMillis").longValue() / 1000.0,
            restart.getJsonNumber("allBackAfterMillis").longValue() / 1000.0,
            restart.getJsonNumber("lastEventAfterMillis").longValue() / 1000.0, restart.getJsonNumber("streamsBack").longValue(),
            restart.getInt("missedEvents"), restart.getJsonNumber("lost").longValue(),
            restart.getJsonNumber("duplicates").longValue(), restart.getJsonNumber("outOfOrder").longValue(),
            probesFailed(probes.getJsonObject("main")), probesFailed(probes.getJsonObject("management"))));
    }

    /** "3 of 60, at most 2 in a row (slowest passed 12 ms)". */
    private static String probesFailed(JsonObject port) {
        return String.format(Locale.ROOT, "%d of %d, at most %d in a row (slowest passed %d ms)", port.getInt("failed"),
            port.getInt("asked"), port.getInt("mostFailedInARow", 0), port.getJsonNumber("slowestPassedMillis").longValue());
    }

    /** S6: one row per broker, same run. */
    private static void brokerTable(StringBuilder html, JsonObject s6) {
        html.append("<h2>Brokers (S6): two nodes, publishing into A, streams on B</h2><table><tr><th>broker</th>"
            + "<th>publishes/s into A</th><th>node A CPU µs/publish</th><th>broker server CPU µs/publish</th>"
            + "<th>deliveries/s on B</th><th>node B CPU µs/delivery</th><th>streams</th><th>lost</th><th>dup</th>"
            + "<th>out of order</th><th>p50 ms</th><th>p99 ms</th></tr>");
        for (String broker : s6.keySet()) {
            JsonObject b = s6.getJsonObject(broker);
            JsonObject load = b.getJsonObject("load");
            JsonObject latency = load.getJsonObject("latencyMs");
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.0f</td><td>%.0f</td><td>%.0f</td><td>%.0f</td>"
                    + "<td>%.1f</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%.1f</td><td>%.1f</td></tr>", escape(broker),
                b.getJsonNumber("publishesPerSecond").doubleValue(), b.getJsonNumber("publishingNodeCpuMicrosPerPublish").doubleValue(),
                b.getJsonNumber("brokerServerCpuMicrosPerPublish").doubleValue(),
                load.getJsonNumber("deliveriesPerSecond").doubleValue(), b.getJsonNumber("receivingNodeCpuMicrosPerDelivery").doubleValue(),
                load.getJsonNumber("established").longValue(), load.getJsonNumber("lost").longValue(),
                load.getJsonNumber("duplicates").longValue(), load.getJsonNumber("outOfOrder").longValue(),
                latency.getJsonNumber("p50").doubleValue(), latency.getJsonNumber("p99").doubleValue()));
        }
        html.append("</table>");
    }

    private static void row(StringBuilder html, String name, JsonObject scenario) {
        JsonObject load = scenario.getJsonObject("load");
        JsonObject gateway = scenario.getJsonObject("gateway");
        JsonObject latency = load.getJsonObject("latencyMs");
        long received = load.getJsonNumber("received").longValue();
        String cpu = received > 0 && gateway.containsKey("cpuMillisDelivering")
            ? String.format(Locale.ROOT, "%.2f", gateway.getJsonNumber("cpuMillisDelivering").doubleValue() * 1000 / received) : "";
        String rss = gateway.containsKey("rssPerStreamBytes")
            ? String.format(Locale.ROOT, "%.1f KB", gateway.getJsonNumber("rssPerStreamBytes").doubleValue() / 1024) : "";
        String heap = gateway.containsKey("heapPerStreamBytes")
            ? String.format(Locale.ROOT, "%.1f KB", gateway.getJsonNumber("heapPerStreamBytes").doubleValue() / 1024) : "";
        html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%.0f</td>"
                + "<td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%s</td><td>%s</td><td>%s</td></tr>",
            name, load.getJsonNumber("established").longValue(), received, load.getJsonNumber("lost").longValue(),
            load.getJsonNumber("duplicates").longValue(), load.getJsonNumber("deliveriesPerSecond").doubleValue(),
            latency.getJsonNumber("p50").doubleValue(), latency.getJsonNumber("p99").doubleValue(),
            latency.getJsonNumber("max").doubleValue(), cpu, rss, heap));
    }

    /**
     * An SVG line chart of one field over time, with labelled axes: seconds since the scenario's
     * start across, {@code unit} up, ticks at zero, half and the maximum.
     */
    private static String chart(JsonArray samples, String field, String title, String unit, double scale) {
        int left = 70;
        int top = 30;
        int width = 560;
        int height = 150;
        double maxT = 0;
        double maxV = 0;
        for (JsonValue v : samples) {
            JsonObject s = v.asJsonObject();
            maxT = Math.max(maxT, s.getJsonNumber("t").doubleValue());
            maxV = Math.max(maxV, s.getJsonNumber(field).doubleValue() * scale);
        }
        if (maxV <= 0) {
            return "<p><b>" + escape(title) + "</b>: nothing to show in this scenario (no events were written)</p>";
        }
        StringBuilder points = new StringBuilder();
        for (JsonValue v : samples) {
            JsonObject s = v.asJsonObject();
            double value = s.getJsonNumber(field).doubleValue() * scale;
            if (value < 0) {
                continue; // not measured in this interval
            }
            double x = left + (maxT > 0 ? s.getJsonNumber("t").doubleValue() / maxT * width : 0);
            double y = top + height - (maxV > 0 ? value / maxV * height : 0);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
            "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\" font-size=\"11\">"
                + "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>",
            left + width + 20, top + height + 45, escape(title), left, escape(title),
            left, top, left, top + height, left, top + height, left + width, top + height));
        for (double f : new double[] {0, 0.5, 1}) {
            double y = top + height - f * height;
            double x = left + f * width;
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>",
                left, y, left + width, y, left - 6, y + 4, number(f * maxV), x, top + height + 15, f * maxT));
        }
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds since the scenario started</text>"
                + "<text transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>"
                + "<polyline fill=\"none\" stroke=\"#0b57d0\" stroke-width=\"2\" points=\"%s\"/></svg>",
            left + width / 2, top + height + 35, top + height / 2, escape(unit), points));
        return svg.toString();
    }

    private static String number(double v) {
        return v >= 100 || v == 0 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
