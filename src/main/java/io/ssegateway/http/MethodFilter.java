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
 * Answers methods the gateway never serves with 405 and a JSON reason, before any servlet sees
 * them: {@code HttpServlet} would answer an unknown method such as {@code BREW} with 501, a 5xx
 * for what is a client's mistake.
 */
public final class MethodFilter implements Filter {
    private static final Set<String> SERVED = Set.of("GET", "HEAD", "POST", "OPTIONS");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
        String method = ((HttpServletRequest) request).getMethod();
        if (!SERVED.contains(method)) {
            JsonResponses.methodNotAllowed((HttpServletResponse) response, method, "GET, HEAD, POST, OPTIONS");
            return;
        }
        chain.doFilter(request, response);
    }
}
