package io.ssegateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An event-stream client that dispatches blocks the way many third-party clients do, not the way a
 * browser does: Python's httpx-sse 0.4.3 reports a block as an event whenever its {@code event},
 * {@code data}, {@code id} or {@code retry} is set, and its {@code id} persists across blocks, so a
 * block holding only {@code retry:}, or only a comment after an event that had an id, comes out as
 * an event with empty data. (Gatling's decoder dispatches every block with a field, without the
 * persistent id.) A gateway that sends such a block is caught here; a browser would hide it.
 *
 * <p>Reads over HTTP/1.1 line by line on its own thread; {@link #close()} ends it.
 */
public final class EveryBlockClient implements AutoCloseable {
    /** A dispatched block. {@code retry} is null when the block had none. */
    public record Dispatched(String event, String data, String id, Integer retry) {
    }

    private static final HttpClient JDK = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final BlockingQueue<Dispatched> dispatched = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final InputStream stream;
    private final BufferedReader body;

    private String event = "";
    private List<String> data = new ArrayList<>();
    private String lastId = "";
    private Integer retry;

    private EveryBlockClient(HttpResponse<InputStream> response) {
        stream = response.body();
        body = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        reader = new Thread(this::read, "every-block-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url} with {@code headers} (name, value pairs); fails unless the answer is 200. */
    public static EveryBlockClient connect(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        headers.forEach(b::header);
        HttpResponse<InputStream> r = JDK.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("status " + r.statusCode() + " for " + url);
        }
        return new EveryBlockClient(r);
    }

    private void read() {
        try {
            for (String line; (line = body.readLine()) != null; ) {
                decode(line);
            }
        } catch (IOException closed) {
            // the stream ended or close() closed it
        }
    }

    private void decode(String line) {
        if (line.isEmpty()) {
            if (event.isEmpty() && data.isEmpty() && lastId.isEmpty() && retry == null) {
                return;
            }
            dispatched.add(new Dispatched(event.isEmpty() ? "message" : event, String.join("\n", data), lastId, retry));
            event = "";
            data = new ArrayList<>();
            retry = null;
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (name) {
            case "event" -> event = value;
            case "data" -> data.add(value);
            case "id" -> lastId = value;
            case "retry" -> {
                try {
                    retry = Integer.valueOf(value);
                } catch (NumberFormatException ignored) {
                    // ignored, as those clients do
                }
            }
            default -> { }
        }
    }

    /** Everything dispatched within {@code window}. */
    public List<Dispatched> collect(Duration window) throws InterruptedException {
        List<Dispatched> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Dispatched d = dispatched.poll(left, TimeUnit.NANOSECONDS);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    /** The next {@code n} dispatched blocks, failing if they do not come within {@code timeout}. */
    public List<Dispatched> take(int n, Duration timeout) throws InterruptedException {
        List<Dispatched> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            Dispatched d = dispatched.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (d == null) {
                throw new AssertionError("got " + out + ", wanted " + n + " within " + timeout);
            }
            out.add(d);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        // Not body.close(): a BufferedReader's close waits for the lock its readLine holds.
        stream.close();
        reader.interrupt();
    }
}
