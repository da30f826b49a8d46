package io.ssegateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Json;
import io.ssegateway.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 13, point 7: the page and the metrics can be turned off; the shipped production files turn the page off. */
class TurnedOffTest {
    @Test
    void withThePageOffEveryNonApiPathIsAJson404AndTheApiStillWorks() throws Exception {
        try (TestGateway gw = TestGateway.start("page", "false")) {
            for (String path : new String[] {"/", "/index.html", "/app.js", "/anything"}) {
                HttpResponse<String> r = gw.get(path);
                assertEquals(404, r.statusCode(), path);
                assertEquals("page-off", Json.field(r.body(), "error"), path);
            }
            assertEquals(200, gw.get("/metrics").statusCode());
            assertEquals(200, gw.get("/health").statusCode());
            gw.publishOk("t", "the API is on");
        }
        // The shipped production settings turn the page off: Mercure's well-known URIs stay on.
        try (TestGateway gw = TestGateway.start("page", "false", "mercure", "true")) {
            assertEquals(400, gw.get("/.well-known/mercure").statusCode(), "a Mercure answer (no matcher), not page-off");
            assertEquals(200, gw.get("/.well-known/oauth-protected-resource/.well-known/mercure").statusCode());
        }
    }

    @Test
    void withMetricsOffMetricsIsAJson404AndThePageStays() throws Exception {
        try (TestGateway gw = TestGateway.start("metrics", "off")) {
            HttpResponse<String> r = gw.get("/metrics");
            assertEquals(404, r.statusCode());
            assertEquals("metrics-off", Json.field(r.body(), "error"));
            assertEquals(200, gw.get("/").statusCode());
        }
    }

    @Test
    void theShippedProductionEnvironmentTurnsThePageOff() throws Exception {
        assertTrue(Files.readAllLines(Path.of("systemd/sse-gateway.env")).contains("SSE_PAGE=false"));
    }
}
