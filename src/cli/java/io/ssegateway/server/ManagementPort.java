package io.ssegateway.server;

import io.ssegateway.config.ServerSettings;
import io.ssegateway.ops.doctor.ContainerFacts;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The embedded server's management port ({@code management-port}): a second connector, cleartext
 * HTTP/1.1 on the same host, that answers only {@link #PATHS}, with a selector and request threads
 * of its own.
 *
 * <p>Why a port of its own: the main port's work waits in one queue, in arrival order. While a node
 * opens a storm of streams (a restart: 1,000,000 streams asked for at once over HTTP/2), a health
 * check made on the main port waits behind all of them: every {@code /ready} asked with a
 * Kubernetes probe's 1 s timeout failed while 1,000,000 streams opened, so the pod would be taken
 * out of its Service, and with a liveness probe on {@code /health} restarted, in the middle of the
 * storm it was absorbing. Here the same checks were answered in 6-7 ms (median), 83 ms at most
 * (docs/performance.md, "Health checks during a storm"). The servlets that answer are the main
 * port's; only the threads that run them differ.
 */
final class ManagementPort {
    /** What the management port serves; anything else gets a JSON 404. */
    static final Set<String> PATHS = Set.of("/health", "/ready", "/metrics");

    /** The connector's name, by which {@link GatewayServer#managementPort} finds it. */
    static final String NAME = "management";

    /** One selector and three requests at a time: probes and scrapes are few and quick. */
    private static final int THREADS = 4;

    /** Enough for every prober and scraper; bounded so that the port can never hold many descriptors. */
    private static final int MAX_CONNECTIONS = 64;

    private static final int IDLE_TIMEOUT_MILLIS = 30_000;

    private ManagementPort() {
    }

    /**
     * Adds the management connector to {@code server} if {@code settings} name a management port,
     * and returns the handler to install: {@code next} as it is, or behind the guard that keeps the
     * management port to {@link #PATHS}.
     */
    static Handler install(Server server, HttpConfiguration http, ServerSettings settings, Handler next) {
        if (settings.managementPort().isEmpty()) {
            return next;
        }
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, THREADS);
        threads.setName("sse-management");
        threads.setReservedThreads(0);
        ServerConnector connector = new ServerConnector(server, threads, null, null, 0, 1, new Http1ReadsOnPool(http));
        connector.setName(NAME);
        connector.setHost(settings.host());
        connector.setPort(settings.managementPort().getAsInt());
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.addBean(new RequestHeadDeadline(connector.getScheduler(), settings.requestHeadTimeout().toMillis()));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        return new OnlyManagementPaths(connector, next);
    }

    /**
     * A warning for a node that runs in a Kubernetes pod ({@link ContainerFacts#inKubernetesPod}, as
     * the doctor tells) without a management port: its probes then share the main port's queue.
     */
    static Optional<String> missingInKubernetes(ServerSettings settings, Map<String, String> env) {
        if (settings.managementPort().isPresent() || !ContainerFacts.inKubernetesPod(env)) {
            return Optional.empty();
        }
        return Optional.of("running in Kubernetes without a management port: probes asked on the main port wait behind "
            + "whatever the pod is working through, and during a reconnect storm they fail (and a liveness probe restarts "
            + "the pod); set SSE_MANAGEMENT_PORT=9090 and point the probes at it (k8s/ in the distribution does)");
    }

    /** Requests that came in on the management connector reach {@code next} only for {@link #PATHS}. */
    private static final class OnlyManagementPaths extends Handler.Wrapper {
        private final Connector management;

        OnlyManagementPaths(Connector management, Handler next) {
            super(next);
            this.management = management;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (request.getConnectionMetaData().getConnector() != management
                || PATHS.contains(request.getHttpURI().getCanonicalPath())) {
                return super.handle(request, response, callback);
            }
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404,
                "the management port answers only /health, /ready and /metrics");
            return true;
        }
    }
}
