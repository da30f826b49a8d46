package io.ssegateway.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Errors the container's own servlets raise (the static-file servlet's 404 for a path nothing
 * serves) answered as every error of the gateway is, {@code {"error","message"}} JSON, instead of
 * the container's HTML error page. Works the same in the jar and in a WAR: the container's servlet
 * calls {@code sendError} on the response this filter hands it.
 */
public final class JsonErrors implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
        chain.doFilter(request, new AsJson((HttpServletRequest) request, (HttpServletResponse) response));
    }

    private static final class AsJson extends HttpServletResponseWrapper {
        private final HttpServletRequest request;

        AsJson(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public void sendError(int sc) throws IOException {
            sendError(sc, null);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            if (isCommitted()) {
                super.sendError(sc, msg);
                return;
            }
            resetBuffer();
            if (sc == SC_NOT_FOUND) {
                JsonResponses.error(this, sc, "not-found", "nothing is served at "
                    + JsonResponses.sanitize(request.getRequestURI()) + ": the API is /events, /publish, /health, /ready and /metrics");
            } else {
                JsonResponses.send(this, sc, JsonResponses.statusErrorBody(sc, msg));
            }
        }
    }
}
