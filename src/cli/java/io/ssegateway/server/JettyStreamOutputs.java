package io.ssegateway.server;

import io.ssegateway.stream.StreamOutput;
import io.ssegateway.stream.StreamOutputs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;

/**
 * The embedded server's {@link StreamOutputs}: a request that came through {@link StreamHandoff}
 * leaves the servlet layer for a {@link CoreStreamOutput}; any other gets the portable output.
 */
final class JettyStreamOutputs implements StreamOutputs {
    @Override
    public StreamOutput open(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ServletContextRequest servletRequest = ServletContextRequest.getServletContextRequest(req);
        ServletPhase phase = servletRequest == null ? null : Request.as(servletRequest, ServletPhase.class);
        return phase == null ? PORTABLE.open(req, resp) : phase.detach();
    }
}
