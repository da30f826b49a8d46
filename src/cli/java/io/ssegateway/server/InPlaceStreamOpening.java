package io.ssegateway.server;

import io.ssegateway.stream.SseServlet;
import java.io.Closeable;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The embedded server's outermost handler: a stream is opened on the thread that read its request;
 * every other request that may have to wait is handed to the server's thread pool.
 *
 * <p>Why: Jetty runs a request that may block ({@link Invocable.InvocationType#BLOCKING}, which a
 * servlet context is) on a pool thread. Over HTTP/2 that means: the thread reading a connection parses
 * every HEADERS frame it has read, makes each request's objects (channel, request, response, HTTP/2
 * stream adapter, about 1.5 KB) and queues the request on the pool. A proxy or a reconnect storm asks
 * for 1,000 streams per connection at once, so at 1,000,000 streams the pool's queue held most of them
 * for seconds, every young collection promoted what waited there, and those dead objects stayed in
 * the old generation: 3,130 B of RSS per held stream, and the collector's copying and first touch of
 * old-generation pages half of the opening's CPU (docs/performance.md, "Opening streams where they
 * are read"). The first writes (status and headers) waited behind that queue too.
 *
 * <p>This handler declares itself {@link Invocable.InvocationType#NON_BLOCKING}, so Jetty's HTTP/2
 * connections, and the first read of an HTTP/1.1 connection ({@link Http1ReadsOnPool}), run each
 * request where they parse it, and keeps that true:
 * <ul>
 *   <li>{@code GET /events} that does not resume is handled in place. Opening it never waits:
 *       admission, the token's check (keys are read from files at start), the registration and the
 *       hand-over are CPU work, and a refusal is a small JSON or busy body the response buffers. The
 *       connection reads on only once the requests it has parsed are open, so what waits is bytes in
 *       the kernel's socket buffer, not objects in the heap.</li>
 *   <li>A resuming one ({@code Last-Event-ID}, or the {@code lastEventId} parameter) is handed to the
 *       pool: its opening reads the replay's first page from the broker.</li>
 *   <li>Any other request reached where a connection is read (an HTTP/2 connection's reader, or a
 *       selector thread) is handed to the pool, as Jetty would run it: while it runs in place nothing
 *       else of its connection is read, and it may wait. A publish whose body came with its headers
 *       calls the broker; a Mercure subscription with a {@code Last-Event-ID} asks the broker where
 *       to resume; an answer longer than the response buffer waits for the client's WINDOW_UPDATE
 *       frames, which only the thread reading the connection would parse.</li>
 *   <li>The rest (the later requests of an HTTP/1.1 connection, read on pool threads; the management
 *       port's after their first) is handled in place, as before.</li>
 * </ul>
 */
final class InPlaceStreamOpening extends Handler.Wrapper {
    InPlaceStreamOpening(Handler handler) {
        super(handler);
    }

    @Override
    public Invocable.InvocationType getInvocationType() {
        return Invocable.InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (mayRunInPlace(request)) {
            return super.handle(request, response, callback);
        }
        Executor pool = request.getComponents().getExecutor();
        pool.execute(new Handoff(getHandler(), request, response, callback));
        return true;
    }

    private static boolean mayRunInPlace(Request request) {
        if (opensStreamWithoutResuming(request)) {
            return true;
        }
        return request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2 && !Invocable.isNonBlockingInvocation();
    }

    /** {@code GET /events} without a resume; a query that merely mentions the parameter counts as resuming. */
    private static boolean opensStreamWithoutResuming(Request request) {
        if (!"GET".equals(request.getMethod()) || !SseServlet.PATH.equals(request.getHttpURI().getCanonicalPath())) {
            return false;
        }
        String query = request.getHttpURI().getQuery();
        return !request.getHeaders().contains(SseServlet.LAST_EVENT_ID_HEADER)
            && (query == null || !query.contains(SseServlet.LAST_EVENT_ID_PARAM));
    }

    /**
     * A request handed to the pool. When the server stops with it still queued (a reconnect storm at
     * a draining node), the pool closes it instead of running it ({@code ThreadPool.reject}): the
     * request fails quietly, as its connection is closing anyway, and its client reconnects. A plain
     * task would be logged as a warning each: 7,592 to 50,756 lines at the stop of a node of a million
     * streams (docs/performance.md, "Requests still queued when a node stops").
     */
    private record Handoff(Handler next, Request request, Response response, Callback callback) implements Runnable, Closeable {
        @Override
        public void run() {
            try {
                if (!next.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                // What Jetty does with a handler's exception: an error response if none was committed.
                callback.failed(failure);
            }
        }

        @Override
        public void close() {
            callback.failed(new EofException("the server stopped before this request was handled"));
        }
    }
}
