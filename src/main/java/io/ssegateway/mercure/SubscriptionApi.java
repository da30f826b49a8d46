package io.ssegateway.mercure;

import io.ssegateway.auth.AuthException;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Presence;
import io.ssegateway.event.EventId;
import io.ssegateway.http.JsonResponses;
import io.ssegateway.http.QueryString;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * {@code GET <hub path>/subscriptions[/{match_type}/{match}[/{subscriber}]]}: the active
 * subscriptions of every node, from the broker's {@link Presence}. The requested path is the topic
 * the token must grant {@code subscribe} on; the answer carries the reconciliation cursor on its
 * {@code rel="mercure"} Link header, to subscribe to the subscription events from without a loss.
 */
final class SubscriptionApi extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final JsonProvider JSON = JsonProvider.provider();

    private final transient ActiveSubscriptions subscriptions;
    private final transient Presence presence;
    private final transient MercureAuth auth;
    private final transient Challenges challenges;
    private final transient RecentIds recent;
    private final URI hubUrl;

    SubscriptionApi(ActiveSubscriptions subscriptions, Presence presence, MercureAuth auth, Challenges challenges,
                    RecentIds recent, URI hubUrl) {
        this.subscriptions = subscriptions;
        this.presence = presence;
        this.auth = auth;
        this.challenges = challenges;
        this.recent = recent;
        this.hubUrl = hubUrl;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            JsonResponses.methodNotAllowed(resp, req.getMethod(), "GET");
            return;
        }
        String[] parts = segments(req);
        if (parts == null) {
            JsonResponses.error(resp, 404, "not-found", "no such subscription resource; see " + subscriptions.root());
            return;
        }
        String path = subscriptions.root() + (parts.length == 0 ? "" : "/" + String.join("/", parts));
        try {
            Grants grants = auth.grants(req);
            if (grants == null) {
                throw new AuthException(401, null, "the subscription API needs an access token");
            }
            if (!grants.allows(Grants.SUBSCRIBE, new Topic(path, hubUrl))) {
                throw new AuthException(403, "insufficient_scope", "the token may not subscribe to " + path);
            }
        } catch (AuthException e) {
            challenges.refuse(resp, e);
            return;
        }
        if (presence == null) {
            JsonResponses.error(resp, 501, "not-available", "the subscription API needs the memory or redis broker; "
                + "subscription events are published all the same");
            return;
        }
        String cursor = cursor();
        Map<String, String> found;
        try {
            found = presence.list(parts.length == 3 ? path : path + "/");
        } catch (BrokerUnavailableException e) {
            JsonResponses.unavailable(resp, 1, "broker-unavailable", "the subscriptions could not be read: " + e.getMessage());
            return;
        }
        JsonObject body;
        if (parts.length == 3) {
            String doc = found.get(path);
            if (doc == null) {
                JsonResponses.error(resp, 404, "not-found", "no active subscription " + JsonResponses.sanitize(path));
                return;
            }
            body = ActiveSubscriptions.parse(doc);
        } else {
            JsonArrayBuilder list = JSON.createArrayBuilder();
            found.values().forEach(doc -> list.add(ActiveSubscriptions.parse(doc)));
            body = JSON.createObjectBuilder().add("id", path).add("type", "subscriptions").add("subscriptions", list).build();
        }
        resp.setHeader("Link", "<" + hubUrl + ">; rel=\"mercure\"; last-event-id=\"" + cursor
            + "\"; type=\"mercure\"; content-type=\"application/json\"");
        resp.setHeader("Cache-Control", "no-cache");
        JsonResponses.send(resp, 200, body);
    }

    /** Read before the list: a subscriber resuming from it gets every change after the snapshot. */
    private String cursor() {
        EventId latest = recent.latest();
        return latest == null ? Reconciliation.EARLIEST : MercureUpdate.hubId(latest);
    }

    /**
     * The path after {@code /subscriptions}, each segment decoded and encoded again the one way
     * subscription topics are ({@code %3a} and {@code :} name the same matcher); null unless it has
     * 0, 2 or 3 segments.
     */
    private String[] segments(HttpServletRequest req) {
        String uri = req.getRequestURI().substring(req.getContextPath().length());
        String rest = uri.substring(Math.min(uri.length(), subscriptions.root().length()));
        if (rest.isEmpty() || rest.equals("/")) {
            return new String[0];
        }
        String[] parts = rest.substring(1).split("/", -1);
        if (parts.length != 2 && parts.length != 3) {
            return null;
        }
        for (int i = 0; i < parts.length; i++) {
            String decoded = decode(parts[i]);
            if (decoded == null || decoded.isEmpty()) {
                return null;
            }
            parts[i] = ActiveSubscriptions.encode(decoded);
        }
        return parts;
    }

    private static String decode(String segment) {
        try {
            return QueryString.percentDecode(segment, false);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
