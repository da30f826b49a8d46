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
 * Keeps a client's next request on a keep-alive connection working after an error.
 *
 * <p>Most errors (401, 403, 405, 413, 415, 400) are answered before the request body is read. If
 * the connection stayed open, the unread body would be taken for the next request, or the
 * container would drop the connection after the answer and the client's next request would meet
 * EPIPE or ECONNRESET. So an error status on a request that declared a body adds
 * {@code Connection: close} before anything is committed: the client opens a new connection for
 * its next request. Draining instead would make a thread wait for a body the client may send
 * slowly or never (it may be waiting for {@code 100 Continue}).
 */
public final class KeepAliveGuard implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        if (hasBody(req)) {
            chain.doFilter(request, new CloseOnError((HttpServletResponse) response));
        } else {
            chain.doFilter(request, response);
        }
    }

    static boolean hasBody(HttpServletRequest req) {
        return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
    }

    /** Adds {@code Connection: close} when an error status is set. */
    private static final class CloseOnError extends HttpServletResponseWrapper {
        CloseOnError(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            closeIfError(sc);
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            closeIfError(sc);
            super.sendError(sc, msg);
        }

        @Override
        public void sendError(int sc) throws IOException {
            closeIfError(sc);
            super.sendError(sc);
        }

        private void closeIfError(int sc) {
            if (sc >= 400 && !isCommitted()) {
                setHeader("Connection", "close");
            }
        }
    }
}
