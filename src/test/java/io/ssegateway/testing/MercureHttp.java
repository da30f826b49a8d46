package io.ssegateway.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Mercure publishing as a publisher does it: a form POST to the hub, over HTTP/1.1 (the JDK client's h2c upgrade aside). */
public final class MercureHttp {
    private static final HttpClient JDK = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private MercureHttp() {
    }

    /** POSTs {@code fields} (name, value, name, value…) as a form to {@code hubUrl}; {@code token} may be null. */
    public static HttpResponse<String> publish(String hubUrl, String token, String... fields) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hubUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return JDK.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static String form(String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.length() == 0 ? "" : "&").append(enc(fields[i])).append('=').append(enc(fields[i + 1]));
        }
        return body.toString();
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
