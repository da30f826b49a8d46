package io.ssegateway.stream;

import io.ssegateway.auth.AuthException;
import io.ssegateway.auth.AuthResponses;
import io.ssegateway.event.EventId;
import io.ssegateway.event.Names;
import io.ssegateway.http.JsonResponses;
import io.ssegateway.lifecycle.Gateway;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /events?topic=a&topic=b}: admits a stream and starts it.
 *
 * <p>Everything that can be refused is refused here, before {@code startAsync}, with a status
 * and a JSON reason: bad topics (400), a malformed Last-Event-ID (400), a draining node (503) or a
 * full one (503 with Retry-After). Only then is the response switched to
 * {@code text/event-stream} and handed to an {@link SseStream}.
 */
public final class SseServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Header sent by a reconnecting EventSource. */
    public static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
    /** Query parameter for clients that cannot set headers on the first connection. */
    public static final String LAST_EVENT_ID_PARAM = "lastEventId";

    private final transient Gateway gateway;
    private final transient StreamOpener opener;

    public SseServlet(Gateway gateway) {
        this.gateway = gateway;
        this.opener = new StreamOpener(gateway);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            gateway.metrics().requestRejected("method");
            JsonResponses.methodNotAllowed(resp, req.getMethod(), "GET");
            return;
        }
        List<String> topics;
        EventId lastEventId;
        try {
            topics = topics(req);
            lastEventId = lastEventId(req);
        } catch (BadRequest e) {
            gateway.metrics().requestRejected("bad-input");
            JsonResponses.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.code, e.getMessage());
            return;
        }
        java.time.Instant tokenExpiry;
        try {
            tokenExpiry = gateway.access().checkSubscribe(req, topics);
        } catch (AuthException e) {
            gateway.metrics().requestRejected("auth");
            AuthResponses.refuse(resp, e);
            return;
        }
        if (gateway.isDraining()) {
            gateway.metrics().requestRejected("draining");
            JsonResponses.unavailable(resp, retryAfterSeconds(), "draining", "this node is shutting down; reconnect to another");
            return;
        }
        String client = gateway.clientAddress().of(req);
        if (!gateway.streamsPerClient().tryAcquire(client)) {
            gateway.metrics().requestRejected("client-limit");
            resp.setHeader("Retry-After", Integer.toString(retryAfterSeconds()));
            JsonResponses.error(resp, 429, "too-many-streams", "this client address holds its maximum of "
                + gateway.streamsPerClient().max() + " streams");
            return;
        }
        if (!gateway.capacity().tryAcquire()) {
            gateway.streamsPerClient().release(client);
            gateway.metrics().requestRejected("capacity");
            JsonResponses.unavailable(resp, retryAfterSeconds(), "capacity",
                "this node holds its maximum of " + gateway.capacity().max() + " streams");
            return;
        }
        boolean started = false;
        try {
            resp.setStatus(HttpServletResponse.SC_OK);
            resp.setContentType("text/event-stream");
            resp.setCharacterEncoding("utf-8");
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("X-Accel-Buffering", "no");
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            SseStream stream = new SseStream(async, resp.getOutputStream(), gateway.frameWriter(), topics,
                gateway.config().queueMaxBytes(), gateway.config().slowConsumer(), gateway);
            async.addListener(stream);
            stream.whenClosed(() -> gateway.streamsPerClient().release(client));
            started = true;
            if (tokenExpiry != null) {
                gateway.closeAt(stream, tokenExpiry);
            }
            opener.start(async, stream, lastEventId);
        } finally {
            if (!started) {
                gateway.capacity().release();
                gateway.streamsPerClient().release(client);
            }
        }
    }

    private int retryAfterSeconds() {
        return (int) Math.max(1, gateway.config().retry().toSeconds());
    }

    private List<String> topics(HttpServletRequest req) throws BadRequest {
        String[] values = req.getParameterValues("topic");
        if (values == null || values.length == 0) {
            throw new BadRequest("missing-topic", "at least one topic parameter is required, e.g. /events?topic=news");
        }
        int max = gateway.config().maxTopics();
        if (values.length > max) {
            throw new BadRequest("too-many-topics", values.length + " topics requested; at most " + max + " per stream");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String topic : values) {
            if (!Names.isValidTopic(topic)) {
                throw new BadRequest("invalid-topic", "topic '" + JsonResponses.sanitize(topic) + "' is invalid: "
                    + Names.topicRule());
            }
            unique.add(topic);
        }
        return new ArrayList<>(unique);
    }

    private static EventId lastEventId(HttpServletRequest req) throws BadRequest {
        String text = req.getHeader(LAST_EVENT_ID_HEADER);
        if (text == null || text.isEmpty()) {
            text = req.getParameter(LAST_EVENT_ID_PARAM);
        }
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return EventId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("invalid-last-event-id", "Last-Event-ID '" + JsonResponses.sanitize(text)
                + "' is not an id of this gateway: " + e.getMessage());
        }
    }

    /** A client mistake found during admission. */
    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        BadRequest(String code, String message) {
            super(message);
            this.code = code;
        }
    }
}
