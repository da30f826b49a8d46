package io.ssegateway.ops.doctor;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a running gateway says about itself in {@code /health}: the limits the doctor must judge
 * (its heap and open-file limit, not the doctor's own JVM and shell).
 *
 * @param heapMaxBytes  the service's maximum heap ({@code Runtime.maxMemory()})
 * @param openFileLimit the service's soft open-file limit
 * @param maxStreams    the streams it admits
 * @param queueMaxBytes its per-stream queue bound
 */
public record ServiceFacts(long heapMaxBytes, long openFileLimit, int maxStreams, int queueMaxBytes) {

    /** Reads {@code url}'s {@code /health}; null if it cannot be read or is not a gateway's. */
    public static ServiceFacts fetch(String url) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            JsonObject health = Json.createReader(new StringReader(r.body())).readObject();
            JsonObject process = health.getJsonObject("process");
            if (process == null) {
                return null;
            }
            return new ServiceFacts(process.getJsonNumber("heapMaxBytes").longValue(),
                process.getJsonNumber("openFileLimit").longValue(), health.getInt("maxStreams"),
                health.getInt("queueMaxBytes"));
        } catch (Exception e) {
            return null;
        }
    }
}
