package io.ssegateway.auth;

import io.ssegateway.http.JsonResponses;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * CORS for browsers on other origins: {@code EventSource} with credentials on {@code /events},
 * and {@code fetch} with {@code Authorization} on {@code /publish} (preflighted). An allowed
 * origin is echoed with {@code Access-Control-Allow-Credentials: true} and {@code Vary: Origin};
 * the wildcard {@code *} is only ever sent without credentials. Requests from other origins get
 * no CORS headers (the browser then refuses them); their preflights get 403.
 */
public final class CorsFilter implements Filter {
    private final Set<String> origins;
    private final boolean anyOrigin;

    public CorsFilter(List<String> origins) {
        this.anyOrigin = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String origin = req.getHeader("Origin");
        boolean preflight = "OPTIONS".equals(req.getMethod()) && req.getHeader("Access-Control-Request-Method") != null;
        if (origin == null) {
            chain.doFilter(request, response);
            return;
        }
        resp.addHeader("Vary", "Origin");
        boolean allowed = anyOrigin || origins.contains(origin);
        if (allowed) {
            if (anyOrigin && !origins.contains(origin)) {
                resp.setHeader("Access-Control-Allow-Origin", "*");
            } else {
                resp.setHeader("Access-Control-Allow-Origin", origin);
                resp.setHeader("Access-Control-Allow-Credentials", "true");
            }
        }
        if (!preflight) {
            chain.doFilter(request, response);
            return;
        }
        if (!allowed) {
            JsonResponses.error(resp, 403, "origin-forbidden", "origin is not in SSE_CORS_ORIGINS");
            return;
        }
        resp.setHeader("Access-Control-Allow-Methods", "GET, POST");
        resp.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID");
        resp.setHeader("Access-Control-Max-Age", "600");
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
