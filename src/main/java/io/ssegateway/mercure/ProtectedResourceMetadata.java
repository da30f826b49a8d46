package io.ssegateway.mercure;

import io.ssegateway.http.JsonResponses;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/**
 * {@code GET /.well-known/oauth-protected-resource/.well-known/mercure}: the hub's OAuth 2.0
 * Protected Resource Metadata (RFC 9728), so a client can learn the resource identifier to put in
 * {@code aud}, how to present a token and which Mercure features this hub has.
 */
public final class ProtectedResourceMetadata extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Where it is served: the well-known prefix followed by the hub's path. */
    public static final String PATH = "/.well-known/oauth-protected-resource/.well-known/mercure";
    private static final JsonProvider JSON = JsonProvider.provider();

    private final String resource;
    private final String cookie;
    private final boolean subscriptions;

    /** @param subscriptions whether the active subscriptions feature (events and API) is served */
    ProtectedResourceMetadata(URI hubUrl, String cookie, boolean subscriptions) {
        this.resource = hubUrl.toString();
        this.cookie = cookie;
        this.subscriptions = subscriptions;
    }

    static String urlFor(URI hubUrl) {
        return hubUrl.resolve(PATH).toString();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "max-age=300");
        var body = JSON.createObjectBuilder()
            .add("resource", resource)
            .add("authorization_details_types_supported", JSON.createArrayBuilder().add(Grants.DETAIL_TYPE))
            .add("bearer_methods_supported", JSON.createArrayBuilder().add("header"))
            .add("mercure_cookie", cookie);
        if (subscriptions) {
            body.add("mercure_subscriptions", true);
        }
        JsonResponses.send(resp, 200, body.build());
    }
}
