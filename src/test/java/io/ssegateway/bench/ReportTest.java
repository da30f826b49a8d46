package io.ssegateway.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, point 8: report.html has a readable machine table and charts with labelled axes. */
class ReportTest {
    @TempDir
    Path out;

    @Test
    void theReportHasAMachineTableAndChartsWithLabelledAxes() throws Exception {
        JsonArray samples = Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("t", 0).add("streams", 0).add("rssBytes", 100 << 20).add("p99Ms", -1))
            .add(Json.createObjectBuilder().add("t", 10).add("streams", 5000).add("rssBytes", 150 << 20).add("p99Ms", -1))
            .build();
        JsonObject s1 = Json.createObjectBuilder()
            .add("load", Json.createObjectBuilder().add("established", 5000).add("received", 0).add("lost", 0).add("duplicates", 0)
                .add("deliveriesPerSecond", 0).add("latencyMs", Json.createObjectBuilder().add("p50", 0).add("p99", 0).add("max", 0)))
            .add("gateway", Json.createObjectBuilder().add("rssPerStreamBytes", 9000).add("heapPerStreamBytes", 7000))
            .add("samples", samples).build();
        Report.write(Json.createObjectBuilder().add("machine", Report.machine()).add("gatewayJvm", "-Xmx512m")
            .add("javaHome", "/usr/lib/jvm/x").add("h2StreamsPerConnection", 100).add("s1", s1).build(), out);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<th>cores (shared by gateway and load)</th>"), "machine as a table, not raw JSON");
        assertTrue(!html.contains("{\"cores\""), "no raw JSON");
        assertTrue(html.contains("HTTP/2 (h2c), 100 streams per connection"));
        assertTrue(html.contains("seconds since the scenario started") && html.contains(">RSS (MB)<") && html.contains(">streams<"),
            "both axes labelled");
        assertTrue(html.contains(">5,000<"), "the y axis shows its maximum");
        assertTrue(html.contains("nothing to show in this scenario"), "an empty series says so instead of an empty chart");
    }
}
