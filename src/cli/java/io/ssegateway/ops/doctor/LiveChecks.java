package io.ssegateway.ops.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks a running gateway, directly or through its proxy: SSE headers, time to first byte, and
 * whether a small published event crosses at once (a buffering proxy holds it).
 */
final class LiveChecks {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String token;

    /** @param token a publisher JWT for the event check (needed through a proxy or with a key), or null */
    LiveChecks(String url, String token) {
        this.token = token;
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    List<Check> run() {
        List<Check> out = new ArrayList<>();
        String topic = "doctor-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        long start = System.nanoTime();
        HttpResponse<InputStream> stream;
        try {
            stream = http.send(HttpRequest.newBuilder(URI.create(base + "/events?topic=" + topic))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            out.add(Check.fail("url reachable", base + ": " + e, "check the URL, the proxy and that the gateway runs"));
            return out;
        }
        try (InputStream body = stream.body()) {
            String type = stream.headers().firstValue("Content-Type").orElse("");
            String cache = stream.headers().firstValue("Cache-Control").orElse("");
            boolean ok = stream.statusCode() == 200 && type.startsWith("text/event-stream") && cache.contains("no-cache");
            String found = stream.statusCode() + ", Content-Type " + type + ", Cache-Control " + cache;
            out.add(ok ? Check.pass("url sse headers", found) : Check.fail("url sse headers", found, notAStream(stream)));
            if (!ok) {
                return out;
            }
            // The gateway sends neither Server nor Via; nginx adds Server, many proxies Via. Without
            // either, the URL is taken to be a node, and slowness is not blamed on a proxy.
            boolean proxied = stream.headers().firstValue("Server").isPresent() || stream.headers().firstValue("Via").isPresent();
            String slowFix = proxied
                ? "a proxy in between holds the stream: turn off its buffering (nginx: proxy_buffering off) and compression"
                : "this URL answers as a node (no Server or Via header): the node itself is slow; check its CPU and GC pauses"
                    + " (/metrics: jvm_gc_collection_seconds), or, if HAProxy is in between, that it has no compression filter";
            int first = body.read();
            long firstMs = (System.nanoTime() - start) / 1_000_000;
            // A buffering proxy holds the gateway's first bytes for a whole heartbeat (25 s) or more;
            // a cold client on a busy machine may take a few hundred ms. 1 s tells the two apart.
            out.add(first >= 0 && firstMs <= 1000 ? Check.pass("url first byte", firstMs + " ms")
                : Check.fail("url first byte", first < 0 ? "stream ended" : firstMs + " ms (> 1 s)", slowFix));
            out.add(crossing(topic, body, slowFix));
        } catch (IOException e) {
            out.add(Check.fail("url stream", e.toString(), "check the proxy's timeouts and buffering"));
        }
        return out;
    }

    /** The fix for an answer that is not a stream: a page from another server, or a changed response. */
    private static String notAStream(HttpResponse<?> answer) {
        String type = answer.headers().firstValue("Content-Type").orElse("");
        String server = answer.headers().firstValue("Server").orElse("");
        if (type.startsWith("text/html")) {
            return "an HTML page answered" + (server.isEmpty() ? "" : " (Server: " + server + ")") + ", not the gateway, whose "
                + "errors are JSON: the proxy gave the request to another server block. With nginx, the Host of this URL "
                + "matches no server_name of the gateway's server, so the port's default server (Debian's default site) "
                + "answered: run the doctor with --nginx to see which server answers which names";
        }
        return "the proxy must pass the gateway's response through unchanged";
    }

    private Check crossing(String topic, InputStream body, String slowFix) throws IOException {
        String marker = "doctor-" + System.nanoTime();
        long sent = System.nanoTime();
        try {
            HttpRequest.Builder publish = HttpRequest.newBuilder(URI.create(base + "/publish?topic=" + topic))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(marker));
            if (token != null) {
                publish.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(publish.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Check.warn("url event crossing", "publish answered " + r.statusCode() + " (publishing may need a token "
                    + "or a loopback client)", "run the doctor where it may publish (on a node), or give it a publisher token with --token");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.warn("url event crossing", "interrupted", "");
        }
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        while ((System.nanoTime() - sent) < Duration.ofSeconds(5).toNanos()) {
            int n = body.read(buf);
            if (n < 0) {
                break;
            }
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            if (seen.indexOf(marker) >= 0) {
                long ms = (System.nanoTime() - sent) / 1_000_000;
                return ms <= 1000 ? Check.pass("url event crossing", "a " + marker.length() + "-byte event arrived after " + ms + " ms")
                    : Check.fail("url event crossing", "arrived after " + ms + " ms", slowFix);
            }
        }
        return Check.fail("url event crossing", "the published event did not arrive within 5 s", slowFix);
    }
}
