package io.ssegateway.stream;

import io.ssegateway.auth.AuthResponses;
import io.ssegateway.event.EventId;
import io.ssegateway.event.Names;
import io.ssegateway.event.WireFormat;
import io.ssegateway.http.JsonResponses;
import io.ssegateway.http.QueryString;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /events?topic=a&topic=b[&envelope=json]}: admits a stream and starts it.
 *
 * <p>Everything that can be refused is refused here, before the stream takes the response: bad topics or a
 * malformed Last-Event-ID get 400 and a JSON reason, a token 401/403; a draining or full node and
 * the per-client limit get the {@link BusyAnswer}, which a browser's EventSource survives. The
 * decision is {@link Admission}'s. Only then is the response switched to {@code text/event-stream}
 * and handed to an {@link SseStream}.
 */
public final class SseServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Where the servlet is mapped. */
    public static final String PATH = "/events";
    /** Header sent by a reconnecting EventSource. */
    public static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
    /** Query parameter for clients that cannot set headers on the first connection. */
    public static final String LAST_EVENT_ID_PARAM = "lastEventId";
    /** Query parameter choosing the {@link WireFormat}: {@code envelope=json} names each event's topic. */
    public static final String ENVELOPE_PARAM = "envelope";

    private final transient Admission admission;
    private final transient StreamNode node;
    private final transient StreamObserver observer;
    private final int maxTopics;

    public SseServlet(Admission admission, StreamNode node, int maxTopics) {
        this.admission = admission;
        this.node = node;
        this.observer = node.observer();
        this.maxTopics = maxTopics;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean head = "HEAD".equals(req.getMethod());
        if (!head && !"GET".equals(req.getMethod())) {
            observer.requestRejected("method");
            JsonResponses.methodNotAllowed(resp, req.getMethod(), "GET, HEAD");
            return;
        }
        Subscription subscription;
        try {
            QueryString query = query(req);
            subscription = new Subscription(topics(query), lastEventId(req, query), format(query));
        } catch (BadRequest e) {
            observer.requestRejected("bad-input");
            JsonResponses.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.code, e.getMessage());
            return;
        }
        if (head) {
            // A probe (a proxy's or a monitor's): the headers a GET would get, and no stream opened.
            StreamNode.streamHeaders(resp);
            return;
        }
        Admission.Decision decision = admission.admit(req, subscription.topics());
        if (decision instanceof Admission.Refused refused) {
            observer.requestRejected(refused.reason());
            if (refused.auth() != null) {
                AuthResponses.refuse(resp, refused.auth());
            } else {
                node.refuse(req, resp, refused.reason(), refused.message());
            }
            return;
        }
        node.launch(req, resp, subscription, (Admission.Admitted) decision);
    }

    /**
     * The query string's parameters. Not the container's {@code getParameter}: Jetty answers a
     * malformed query there with its own HTML 400 page, where a client needs our JSON reason; and it
     * looks for form fields on every request, which a stream never has.
     */
    private static QueryString query(HttpServletRequest req) throws BadRequest {
        try {
            return QueryString.parse(req.getQueryString());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("invalid-query", "the query string is malformed: " + e.getMessage());
        }
    }

    private List<String> topics(QueryString query) throws BadRequest {
        List<String> values = query.all("topic");
        if (values.isEmpty()) {
            throw new BadRequest("missing-topic", "at least one topic parameter is required, e.g. /events?topic=news");
        }
        int max = maxTopics;
        if (values.size() > max) {
            throw new BadRequest("too-many-topics", values.size() + " topics requested; at most " + max + " per stream");
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

    private static WireFormat format(QueryString query) throws BadRequest {
        try {
            return WireFormat.fromParameter(query.first(ENVELOPE_PARAM));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("invalid-envelope", JsonResponses.sanitize(e.getMessage()));
        }
    }

    private static EventId lastEventId(HttpServletRequest req, QueryString query) throws BadRequest {
        String text = req.getHeader(LAST_EVENT_ID_HEADER);
        if (text == null || text.isEmpty()) {
            text = query.first(LAST_EVENT_ID_PARAM);
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
