package io.ssegateway.ops;

import io.ssegateway.http.JsonResponses;
import io.ssegateway.lifecycle.Gateway;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /health} (liveness: 200 while the process serves requests) and {@code GET /ready}
 * (readiness: 200 when this node should get new streams, 503 while draining or while the broker
 * is unreachable). Both answer JSON with the node's state.
 */
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Gateway gateway;
    private final boolean readiness;

    public HealthServlet(Gateway gateway, boolean readiness) {
        this.gateway = gateway;
        this.readiness = readiness;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            JsonResponses.methodNotAllowed(resp, req.getMethod(), "GET");
            return;
        }
        boolean ok = !readiness || gateway.isReady();
        JsonResponses.send(resp, ok ? 200 : 503, Json.createObjectBuilder()
            .add("status", ok ? "up" : "unavailable")
            .add("ready", gateway.isReady())
            .add("draining", gateway.isDraining())
            .add("broker", gateway.broker().isAvailable() ? "up" : "down")
            .add("streams", gateway.hub().streamCount())
            .add("maxStreams", gateway.capacity().max())
            .add("queueMaxBytes", gateway.config().queueMaxBytes())
            // For the doctor: the limits of this process, which a shell elsewhere cannot see.
            .add("process", Json.createObjectBuilder()
                .add("heapMaxBytes", Runtime.getRuntime().maxMemory())
                .add("openFileLimit", FileLimits.current().soft()))
            .build());
    }
}
