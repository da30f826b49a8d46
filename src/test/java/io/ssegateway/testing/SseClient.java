package io.ssegateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;

/**
 * A non-blocking SSE subscriber on Jetty's HttpClient: events and comments are recorded into
 * queues as they arrive, so thousands can run in one test JVM without a thread each.
 * Assertions take from the queues with timeouts and say what they waited for.
 */
public final class SseClient implements AutoCloseable {
    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final CompletableFuture<Response> headers = new CompletableFuture<>();
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private final CountDownLatch firstByte = new CountDownLatch(1);
    private final Request request;

    private SseClient(HttpClient http, String uri, Map<String, String> requestHeaders) {
        SseParser parser = new SseParser(events::add, comments::add);
        Request r = http.newRequest(uri).idleTimeout(0, TimeUnit.MILLISECONDS).timeout(0, TimeUnit.MILLISECONDS);
        r.headers(h -> requestHeaders.forEach(h::put));
        r.onResponseHeaders(headers::complete);
        r.onResponseContent((response, content) -> {
            firstByte.countDown();
            ByteBuffer copy = content.duplicate();
            byte[] b = new byte[copy.remaining()];
            copy.get(b);
            parser.feed(b, 0, b.length);
        });
        this.request = r;
        r.send(result -> {
            headers.complete(result.getResponse());
            done.complete(result);
        });
    }

    public static SseClient connect(HttpClient http, String uri) {
        return new SseClient(http, uri, Map.of());
    }

    public static SseClient connect(HttpClient http, String uri, String lastEventId) {
        return new SseClient(http, uri, lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId));
    }

    /** A subscriber sending {@code requestHeaders} (Authorization, Cookie, Last-Event-ID…). */
    public static SseClient connect(HttpClient http, String uri, Map<String, String> requestHeaders) {
        return new SseClient(http, uri, requestHeaders);
    }

    /** Waits for the response head. */
    public Response response() throws Exception {
        return headers.get(10, TimeUnit.SECONDS);
    }

    public HttpFields responseHeaders() throws Exception {
        return response().getHeaders();
    }

    /** Waits until the first body bytes arrived. */
    public void awaitFirstByte(Duration timeout) throws InterruptedException {
        if (!firstByte.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("no body byte within " + timeout);
        }
    }

    /** The next event, failing after {@code timeout} with what was expected. */
    public SseEvent next(Duration timeout, String what) throws InterruptedException {
        SseEvent e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(e, "no event within " + timeout + ": expected " + what);
        return e;
    }

    public SseEvent next() throws InterruptedException {
        return next(Duration.ofSeconds(10), "an event");
    }

    /** The next {@code n} events. */
    public List<SseEvent> take(int n, Duration timeout) throws InterruptedException {
        List<SseEvent> out = new ArrayList<>(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            SseEvent e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                fail("got " + out.size() + " of " + n + " events within " + timeout + "; last: "
                    + (out.isEmpty() ? "none" : out.get(out.size() - 1)));
            }
            out.add(e);
        }
        return out;
    }

    /** The next comment line (without the colon). */
    public String nextComment(Duration timeout) throws InterruptedException {
        String c = comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(c, "no comment within " + timeout);
        return c;
    }

    /** Asserts that no event arrives within {@code quiet}. */
    public void assertNoEvent(Duration quiet) throws InterruptedException {
        SseEvent e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(null, e, "unexpected event");
    }

    /** Completes when the server ends the response (or the connection fails). */
    public CompletableFuture<Result> done() {
        return done;
    }

    /** Everything received so far and not yet taken. */
    public List<SseEvent> drain() {
        List<SseEvent> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    public int pendingEvents() {
        return events.size();
    }

    @Override
    public void close() {
        // Whether the abort took effect does not matter: the stream is being thrown away.
        var unused = request.abort(new RuntimeException("test closed the stream"));
    }
}
