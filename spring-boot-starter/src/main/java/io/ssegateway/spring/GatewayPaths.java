package io.ssegateway.spring;

import io.ssegateway.config.MercureSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The paths whose access the gateway decides with its own token rules: streams, publishing and
 * Mercure's hub with its subscription API. Spring Security is told to leave them alone, so that no
 * login page, CSRF check or session answers a browser's {@code EventSource} or a publisher's POST
 * in the gateway's place. Its other paths ({@code /health}, {@code /ready}, {@code /metrics}) stay
 * under the application's rules.
 */
final class GatewayPaths implements RequestMatcher {
    private static final Set<String> EXACT = Set.of("/events", "/publish", MercureSettings.PATH);
    private static final String MERCURE_TREE = MercureSettings.PATH + "/";

    @Override
    public boolean matches(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return EXACT.contains(path) || path.startsWith(MERCURE_TREE);
    }
}
