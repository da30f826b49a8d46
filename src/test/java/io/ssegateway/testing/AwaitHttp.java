package io.ssegateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits for a server that is still starting (a container, a Compose project) to answer a status. */
public final class AwaitHttp {
    private static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AwaitHttp() {
    }

    /**
     * Asks {@code url} with {@code method} (GET, or HEAD for a stream, whose body never ends) until
     * it answers {@code status}; returns that answer's body. Fails with the last answer or error.
     */
    public static String status(String method, String url, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = JDK.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == status) {
                    return r.body();
                }
                last = "status " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(method + " " + url + " did not answer " + status + " within " + timeout + ": " + last);
    }
}
