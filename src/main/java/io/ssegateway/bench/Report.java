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
            + "th:first-child,td:first-child{text-align:left}svg{border:1px solid #ddd;margin:.3rem}</style></head><body>");
        html.append("<h1>sse-gateway benchmark</h1><p>Machine: ").append(report.getJsonObject("machine"))
            .append("<br>Gateway JVM: ").append(escape(report.getString("gatewayJvm"))).append(" (").append(escape(report.getString("javaHome")))
            .append(")</p><table><tr><th>scenario</th><th>streams</th><th>received</th><th>lost</th><th>dup</th>"
                + "<th>deliveries/s</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>gateway CPU µs/delivery</th>"
                + "<th>RSS/stream</th><th>heap/stream</th></tr>");
        for (String s : new String[] {"s1", "s2", "s3", "s4"}) {
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
        for (String s : new String[] {"s1", "s2", "s3", "s4", "s5"}) {
            if (report.containsKey(s) && report.getJsonObject(s).containsKey("samples")) {
                JsonArray samples = report.getJsonObject(s).getJsonArray("samples");
                html.append("<h2>").append(s).append("</h2>")
                    .append(chart(samples, "streams", "open streams", 1))
                    .append(chart(samples, "rssBytes", "gateway RSS (MB)", 1.0 / (1024 * 1024)))
                    .append(chart(samples, "p99Ms", "publish-to-write p99 per interval (ms)", 1));
            }
        }
        html.append("</body></html>");
        Files.writeString(out.resolve("report.html"), html);
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

    /** A 600x160 SVG line chart of one field over time. */
    private static String chart(JsonArray samples, String field, String title, double scale) {
        double maxT = 0;
        double maxV = 0;
        for (JsonValue v : samples) {
            JsonObject s = v.asJsonObject();
            maxT = Math.max(maxT, s.getJsonNumber("t").doubleValue());
            maxV = Math.max(maxV, s.getJsonNumber(field).doubleValue() * scale);
        }
        StringBuilder points = new StringBuilder();
        for (JsonValue v : samples) {
            JsonObject s = v.asJsonObject();
            double value = s.getJsonNumber(field).doubleValue() * scale;
            if (value < 0) {
                continue;
            }
            double x = maxT > 0 ? s.getJsonNumber("t").doubleValue() / maxT * 590 + 5 : 5;
            double y = 150 - (maxV > 0 ? value / maxV * 125 : 0);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return String.format(Locale.ROOT, "<svg width=\"600\" height=\"160\" role=\"img\" aria-label=\"%s\">"
                + "<text x=\"5\" y=\"14\" font-size=\"12\">%s (max %.1f, over %.0f s)</text>"
                + "<polyline fill=\"none\" stroke=\"#0b57d0\" stroke-width=\"2\" points=\"%s\"/></svg>",
            title, title, maxV, maxT, points);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
