package io.ssegateway.auth;

import io.ssegateway.http.JsonResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Sends a refused request's 401 (with {@code WWW-Authenticate}) or 403 as JSON. */
public final class AuthResponses {
    private AuthResponses() {
    }

    public static void refuse(HttpServletResponse resp, AuthException e) throws IOException {
        if (e.status() == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"sse-gateway\", error=\""
                + ("missing-token".equals(e.code()) ? "invalid_request" : "invalid_token") + "\"");
        }
        JsonResponses.error(resp, e.status(), e.code(), e.getMessage());
    }
}
