package io.ssegateway.ops;

import io.ssegateway.http.JsonResponses;
import jakarta.json.spi.JsonProvider;
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
    /** Found once: {@code Json.createObjectBuilder()} searches the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final long serialVersionUID = 1L;

    private final transient NodeState node;
    private final boolean readiness;

    public HealthServlet(NodeState node, boolean readiness) {
        this.node = node;
        this.readiness = readiness;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            JsonResponses.methodNotAllowed(resp, req.getMethod(), "GET");
            return;
        }
        boolean ok = !readiness || node.isReady();
        JsonResponses.send(resp, ok ? 200 : 503, JSON.createObjectBuilder()
            .add("status", ok ? "up" : "unavailable")
            .add("version", BuildInfo.version())
            .add("node", node.nodeName())
            .add("ready", node.isReady())
            .add("draining", node.isDraining())
            .add("warmingUp", node.isWarmingUp())
            .add("broker", node.isBrokerAvailable() ? "up" : "down")
            .add("streams", node.streams())
            .add("maxStreams", node.maxStreams())
            .add("queueMaxBytes", node.queueMaxBytes())
            // For the doctor: the limits of this process, which a shell elsewhere cannot see.
            .add("process", JSON.createObjectBuilder()
                .add("heapMaxBytes", Runtime.getRuntime().maxMemory())
                .add("openFileLimit", FileLimits.current().soft()))
            .build());
    }
}
