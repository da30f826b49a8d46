package io.ssegateway.stream;

import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.http.JsonResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The answer to a stream request that cannot be served now (full, draining, client limit, broker
 * down) in a way a browser survives.
 *
 * <p>A native {@code EventSource} that receives any status other than 200 fails for good and never
 * reconnects (HTML spec; WPT {@code eventsource/request-status-error}). So a client gets
 * {@code 200 text/event-stream} with {@code Connection: close} and one documented event, whose
 * {@code retry:} makes it come back by itself after a jittered delay (between half of {@code retry}
 * and {@code retry} plus the jitter), so a storm's reconnects spread out:
 * <pre>
 * retry: 2213
 * event: server-busy
 * data: {"reason":"capacity","retryMillis":2213}
 * </pre>
 * A proxy that can try another node says so with the request header {@code X-SSE-Failover} (the
 * shipped nginx configuration sets it): it gets {@code 503} with {@code Retry-After} and a JSON
 * reason instead, which it turns into a retry on the next node.
 */
public final class BusyAnswer {
    /** Request header by which a proxy in front asks for a 503 it can fail over on. */
    public static final String FAILOVER_HEADER = "X-SSE-Failover";

    private BusyAnswer() {
    }

    /**
     * Answers {@code req} for {@code reason}.
     *
     * @param retryMillis the configured {@code retry}
     * @param jitterMillis added spread on top of {@code retry} (0 for none)
     */
    public static void send(HttpServletRequest req, HttpServletResponse resp, String reason, String message,
                            long retryMillis, long jitterMillis) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        if (req.getHeader(FAILOVER_HEADER) != null) {
            JsonResponses.unavailable(resp, (int) Math.max(1, retryMillis / 1000), reason, message);
            return;
        }
        byte[] body = frame(reason, retryMillis, jitterMillis).frame();
        resp.resetBuffer();
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("utf-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("Connection", "close");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** The event, with a delay drawn between {@code retry}/2 and {@code retry} + {@code jitter}. */
    public static ControlFrame frame(String reason, long retryMillis, long jitterMillis) {
        long low = retryMillis / 2;
        return ControlFrames.busy(reason, low + ThreadLocalRandom.current().nextLong(retryMillis - low + jitterMillis + 1));
    }
}
