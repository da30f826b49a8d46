package io.ssegateway.mercure;

import io.ssegateway.auth.AuthException;
import io.ssegateway.http.JsonResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/**
 * Answers an authorization failure as RFC 6750 and RFC 9728 say: a {@code WWW-Authenticate: Bearer}
 * challenge naming the protected resource metadata, with the {@code error} code when a token was
 * presented ({@code invalid_request}, {@code invalid_token}, {@code insufficient_scope}), and the
 * reason as a JSON body for the humans reading it.
 */
final class Challenges {
    private final String resourceMetadata;

    Challenges(URI hubUrl) {
        this.resourceMetadata = ProtectedResourceMetadata.urlFor(hubUrl);
    }

    void refuse(HttpServletResponse resp, AuthException e) throws IOException {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"mercure\"");
        if (e.code() != null) {
            challenge.append(", error=\"").append(e.code()).append('"');
        }
        challenge.append(", resource_metadata=\"").append(resourceMetadata).append('"');
        resp.setHeader("WWW-Authenticate", challenge.toString());
        JsonResponses.error(resp, e.status(), e.code() == null ? "missing-token" : e.code(), e.getMessage());
    }
}
