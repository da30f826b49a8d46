package io.ssegateway.testing;

import io.ssegateway.bench.PrometheusText;

/** A gateway's {@code /metrics}, read with the project's one Prometheus text reader. */
public final class Metrics {
    private Metrics() {
    }

    public static PrometheusText of(TestGateway gw) throws Exception {
        return PrometheusText.parse(gw.get("/metrics").body());
    }

    /** The value of {@code series} (as printed, labels included) now; NaN if absent. */
    public static double value(TestGateway gw, String series) throws Exception {
        return of(gw).value(series);
    }
}
