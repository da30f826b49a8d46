package io.ssegateway.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * Answers 404 with a JSON reason for what this node was configured not to serve: the demo page
 * (every path that is not the API) and {@code /metrics}. One filter for the jar and the WAR, where
 * the page's files are served by the container.
 */
public final class TurnedOff implements Filter {
    /** The paths of the API, served whatever is turned off (metrics has its own switch). */
    private static final Set<String> API = Set.of("/events", "/publish", "/health", "/ready", "/metrics");
    /** The protocols' well-known URIs (Mercure, its metadata and subscription API) are API too. */
    private static final String WELL_KNOWN = "/.well-known/";

    private final boolean page;
    private final boolean metrics;

    public TurnedOff(boolean page, boolean metrics) {
        this.page = page;
        this.metrics = metrics;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (!metrics && path.equals("/metrics")) {
            JsonResponses.error((HttpServletResponse) response, 404, "metrics-off", "metrics are turned off on this node (metrics=false)");
        } else if (!page && !API.contains(path) && !path.startsWith(WELL_KNOWN)) {
            JsonResponses.error((HttpServletResponse) response, 404, "page-off", "the demo page is turned off on this node (page=false)");
        } else {
            chain.doFilter(request, response);
        }
    }
}
