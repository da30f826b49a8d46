package io.ssegateway.publish;

import io.ssegateway.auth.AccessPolicy;
import io.ssegateway.auth.AuthException;
import io.ssegateway.auth.AuthResponses;
import io.ssegateway.broker.Broker;
import io.ssegateway.event.Event;
import io.ssegateway.http.JsonResponses;
import io.ssegateway.http.QueryString;
import io.ssegateway.http.RequestBodies;
import io.ssegateway.http.RequestBody;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /publish?topic=t[&event=type]} with the data as the UTF-8 body.
 *
 * <p>The body is the event's data byte for byte, whatever its {@code Content-Type}: a form-encoded
 * body ({@code curl -d}, HTML forms) is not parsed into fields, and {@code topic} and
 * {@code event} come from the query string only. {@code multipart/*} gets 415.
 *
 * <p>An {@code Idempotency-Key} header makes a retry safe: while the topic's history window lasts,
 * a publish with a key already used for the topic is answered with the first event's id and
 * delivers nothing new. A 503 says whether the event was not stored ({@code broker-unavailable})
 * or may have been ({@code broker-outcome-unknown}: retry with the same key).
 *
 * <p>Answers {@code 200 {"id":"…","topic":"t"}} only once the broker has stored the event; a
 * broker that cannot store it gives 503, so an acknowledged event is never lost. Client mistakes
 * get 4xx: a missing or invalid topic or type (400), a body over {@code max-body-bytes} (413) or
 * not valid UTF-8 (400), another method (405).
 */
public final class PublishServlet extends HttpServlet {
    /** Found once: {@code Json.createObjectBuilder()} searches the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final long serialVersionUID = 1L;

    private final transient AccessPolicy access;
    private final transient Broker broker;
    /** Where stored events are copied for the Mercure door's subscribers. */
    private final transient Mirror mirror;
    private final transient PublishObserver observer;
    private final transient Publication publication;
    private final transient RequestBodies bodies;

    /** @param draining true while the node shuts down: publishes then get 503 rather than being lost */
    public PublishServlet(AccessPolicy access, Broker broker, BooleanSupplier draining, RequestBodies bodies,
                          PublishObserver observer, Mirror mirror) {
        this.mirror = mirror;
        this.access = access;
        this.broker = broker;
        this.bodies = bodies;
        this.observer = observer;
        this.publication = new Publication(draining, observer, "event", "Mercure");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"POST".equals(req.getMethod())) {
            reject("method");
            JsonResponses.methodNotAllowed(resp, req.getMethod(), "POST");
            return;
        }
        // Only the query string: getParameter would consume a form-encoded body as fields.
        QueryString query;
        try {
            query = QueryString.parse(req.getQueryString());
        } catch (IllegalArgumentException e) {
            reject("bad-input");
            JsonResponses.error(resp, 400, "invalid-query", "the query string is malformed: " + e.getMessage());
            return;
        }
        List<String> topics = query.all("topic");
        if (topics.size() != 1) {
            reject("bad-input");
            JsonResponses.error(resp, 400, topics.isEmpty() ? "missing-topic" : "too-many-topics",
                "exactly one topic parameter is required in the query string, e.g. /publish?topic=news");
            return;
        }
        String topic = topics.get(0);
        String type = query.first("event");
        try {
            InvalidPublication.checkNames(topic, type);
        } catch (InvalidPublication e) {
            reject("bad-input");
            JsonResponses.error(resp, e.status(), e.code(), e.getMessage());
            return;
        }
        String idempotencyKey;
        try {
            idempotencyKey = Publication.idempotencyKey(req);
        } catch (Publication.InvalidKey e) {
            reject("bad-input");
            JsonResponses.error(resp, 400, e.code(), e.getMessage());
            return;
        }
        String contentType = req.getContentType();
        if (contentType != null && contentType.regionMatches(true, 0, "multipart/", 0, 10)) {
            reject("bad-input");
            JsonResponses.error(resp, 415, "unsupported-media-type", "the body is the event's data as it is; send it "
                + "as text/plain, application/json or any single-part type, not " + JsonResponses.sanitize(contentType));
            return;
        }
        try {
            access.checkPublish(req, topic);
        } catch (AuthException e) {
            reject("auth");
            AuthResponses.refuse(resp, e);
            return;
        }
        bodies.read(req, resp, new RequestBody.Receiver() {
            @Override
            public void received(byte[] body) throws IOException {
                publish(resp, topic, type, idempotencyKey, body);
            }

            @Override
            public void refused(int status, String code, String message) throws IOException {
                reject("bad-input");
                JsonResponses.error(resp, status, code, message);
            }
        });
    }

    /** The event of a complete body: stored, mirrored, answered with its id. */
    private void publish(HttpServletResponse resp, String topic, String type, String idempotencyKey, byte[] body)
        throws IOException {
        String data;
        try {
            data = RequestBody.utf8(body);
        } catch (CharacterCodingException e) {
            reject("bad-input");
            JsonResponses.error(resp, 400, "invalid-utf8", "body is not valid UTF-8");
            return;
        }
        Event event = publication.store(resp, () -> broker.publish(topic, type, data, idempotencyKey),
            () -> mirror.copy(topic, type, data, access.isPrivate(topic), idempotencyKey));
        if (event == null) {
            return;
        }
        JsonResponses.send(resp, 200, JSON.createObjectBuilder()
            .add("id", event.id().toString())
            .add("topic", topic)
            .build());
    }

    private void reject(String reason) {
        observer.requestRejected(reason);
    }
}
