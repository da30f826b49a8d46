package io.ssegateway.server;

import static io.ssegateway.testing.H2Client.H2Stream.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.H2Client;
import io.ssegateway.testing.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, point 3: the jar's logs as an operator configures them: JSON lines for a log shipper,
 * levels overall and per package, text with the zone offset, and an access log that never records
 * a query string (where a subscriber's token may travel).
 */
class LoggingIT {
    private final HttpClient jdk = HttpClient.newHttpClient();

    @Test
    void jsonLinesLevelsPerPackageAndAnAccessLogWithoutQueryStrings() throws Exception {
        String output;
        try (GatewayProcess gw = GatewayProcess.start("--log-format", "json", "--log-level", "warn",
            "--log-levels", "io.ssegateway.lifecycle=info", "--access-log", "true");
             H2Client h2 = new H2Client(gw.port(), false);
             H2Client.Connection connection = h2.connect()) {
            send(gw.url("/health?access_token=SECRET-TOKEN-1"));
            // Streams, over HTTP/1.1 and HTTP/2: their access lines are written when they end, at the drain below.
            HttpResponse<java.io.InputStream> stream = jdk.send(HttpRequest.newBuilder(
                URI.create(gw.url("/events?topic=t&access_token=SECRET-TOKEN-2"))).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            H2Client.H2Stream h2Stream = connection.get("/events?topic=t&access_token=SECRET-TOKEN-3");
            await(() -> h2Stream.status == 200, Duration.ofSeconds(20), "the HTTP/2 stream open");
            gw.terminate(Duration.ofSeconds(30));
            stream.body().close();
            output = gw.output();
        }
        List<JsonObject> lines = output.lines().filter(l -> l.startsWith("{")).map(Json::parse).toList();
        assertTrue(lines.size() >= 3, output);
        for (JsonObject line : lines) {
            assertTrue(line.containsKey("timestamp") && line.containsKey("level") && line.containsKey("loggerName")
                && line.containsKey("formattedMessage"), line.toString());
            String logger = line.getString("loggerName");
            String level = line.getString("level");
            assertTrue(level.equals("WARN") || level.equals("ERROR") || logger.startsWith("io.ssegateway.lifecycle")
                || logger.equals("access"), "INFO only where log-levels allows it: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.getString("loggerName").equals("io.ssegateway.lifecycle.GatewayListener")
            && l.getString("level").equals("INFO")), "lifecycle at info");
        assertTrue(lines.stream().noneMatch(l -> l.getString("loggerName").startsWith("org.eclipse.jetty")
            && l.getString("level").equals("INFO")), "jetty at warn");
        List<String> access = lines.stream().filter(l -> l.getString("loggerName").equals("access"))
            .map(l -> l.getString("formattedMessage")).toList();
        assertTrue(access.stream().anyMatch(m -> m.contains("\"GET /health HTTP/1.1\" 200")), access.toString());
        assertTrue(access.stream().anyMatch(m -> m.contains("\"GET /events HTTP/1.1\" 200")), "the stream's line: " + access);
        // With an access log, an HTTP/2 stream stays in Jetty's HTTP layer (Http2Frames) so that it gets its line.
        assertTrue(access.stream().anyMatch(m -> m.contains("\"GET /events HTTP/2.0\" 200")), "the HTTP/2 stream's line: " + access);
        assertTrue(!output.contains("SECRET-TOKEN"), "no query string, no token, anywhere in the log");
    }

    @Test
    void textLinesCarryTheZoneOffset() throws Exception {
        String output;
        try (GatewayProcess gw = GatewayProcess.start()) {
            output = gw.output();
        }
        String first = output.lines().filter(l -> l.contains(" INFO ")).findFirst().orElseThrow();
        assertTrue(first.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO .*"), first);
    }

    private void send(String url) throws Exception {
        assertEquals(200, jdk.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode());
    }
}
