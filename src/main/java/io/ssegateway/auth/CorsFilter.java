package io.ssegateway.auth;

import io.ssegateway.http.FirstTimeLog;
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
 * no CORS headers (the browser then refuses them); their preflights get 403. The browser tells its
 * page nothing it can show (an EventSource just closes for good), so the first refusal of each
 * origin is logged with the setting that allows it.
 */
public final class CorsFilter implements Filter {
    private static final System.Logger LOG = System.getLogger(CorsFilter.class.getName());
    private final FirstTimeLog refusals = new FirstTimeLog(LOG);
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
        if (!allowed && !sameOrigin(req, origin)) {
            refusals.warn(origin, () -> "refused CORS for a page on origin " + JsonResponses.sanitize(origin) + " ("
                + req.getMethod() + " " + JsonResponses.sanitize(req.getRequestURI()) + "): the browser blocks the answer "
                + "(an EventSource closes for good). Allow the origin with --cors-origins " + JsonResponses.sanitize(origin)
                + " (SSE_CORS_ORIGINS, comma-separated)");
        }
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

    /**
     * Whether {@code origin} is the gateway's own (or its proxy's) host: browsers send Origin on a
     * same-origin POST (the demo page's publish form), which needs no CORS and is no refusal.
     */
    private static boolean sameOrigin(HttpServletRequest req, String origin) {
        String host = req.getHeader("Host");
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }
}
