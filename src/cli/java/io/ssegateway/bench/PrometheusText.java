package io.ssegateway.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of a Prometheus text exposition, by series as printed ({@code name} or
 * {@code name{label="value",…}}): the project's one reader of {@code /metrics} text, used by the
 * benchmark's sampler and by the tests. Comments and timestamps are skipped.
 */
public final class PrometheusText {
    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // The value follows the series; a label value may hold spaces, so split after the labels.
            int labelsEnd = line.lastIndexOf('}');
            int space = line.indexOf(' ', Math.max(labelsEnd, 0));
            if (space < 0) {
                continue;
            }
            String[] rest = line.substring(space + 1).trim().split(" ", -1);
            samples.put(line.substring(0, space), Double.parseDouble(rest[0]));
        }
        return new PrometheusText(samples);
    }

    /** The value of {@code series}, or NaN if it is absent. */
    public double value(String series) {
        return samples.getOrDefault(series, Double.NaN);
    }

    public boolean has(String series) {
        return samples.containsKey(series);
    }

    /** The histogram {@code name}'s cumulative bucket counts by upper bound (+Inf included). */
    public Map<Double, Double> buckets(String name) {
        Map<Double, Double> out = new TreeMap<>();
        String prefix = name + "_bucket{le=\"";
        samples.forEach((series, value) -> {
            if (series.startsWith(prefix)) {
                String le = series.substring(prefix.length(), series.indexOf('"', prefix.length()));
                out.put("+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value);
            }
        });
        return out;
    }
}
