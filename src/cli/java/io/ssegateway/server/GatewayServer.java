package io.ssegateway.server;

import io.ssegateway.config.GatewayConfig;
import io.ssegateway.lifecycle.Gateway;
import io.ssegateway.lifecycle.GatewayListener;
import io.ssegateway.ops.Capacity;
import io.ssegateway.ops.FileLimits;
import java.util.OptionalInt;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The embedded Jetty 12 server of {@code java -jar}: one port (HTTP/1.1 and HTTP/2, with or without
 * TLS: {@link ServerProtocols}) and, if configured, a {@link ManagementPort}; one servlet context wired
 * by {@link GatewayListener} exactly as in the WAR, and the demo page from the classpath.
 * {@code main} and the tests build it through {@link #newServer}.
 */
public final class GatewayServer {
    private GatewayServer() {
    }

    /**
     * Builds a server for {@code config} (not started). Its connector accepts at most
     * {@link Capacity#maxConnections()} connections: beyond that Jetty stops accepting and
     * clients wait in the kernel's backlog, so the process never runs out of file descriptors.
     */
    public static Server newServer(GatewayConfig config) {
        Capacity capacity = Capacity.derive(config, FileLimits.current());
        // Streams hold no thread and request work is CPU work, so the pool is about as many
        // threads as cores after Jetty's own (acceptor, selectors, reserved thread: three on two
        // cores). Idle threads are not free: with spare ones every task Jetty hands over wakes one,
        // and the woken threads contend for the same connection's locks. On two cores 1,000,000
        // HTTP/2 streams opened at once took 20-27 s with 16 threads and 13-24 s with 6 (medians
        // of alternating runs 23 and 18 s, with a third less CPU), 17-18 s with 7 or 8
        // (docs/performance.md, "Fewer request threads"; measured before HTTP/2 streams were opened
        // where they are read, InPlaceStreamOpening). Work beyond the pool waits in its queue.
        int cores = Runtime.getRuntime().availableProcessors();
        int poolThreads = Math.max(6, 3 * cores);
        QueuedThreadPool threads = new GatewayThreadPool(poolThreads, poolThreads, Math.max(2, cores));
        threads.setName("sse-http");
        Server server = new Server(threads);
        server.setErrorHandler(new JsonErrorHandler());

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(config.server().maxHeaderBytes());
        // RFC 9110 without the bare-LF leniency: a proxy in front that ends lines only at CRLF would
        // otherwise see different requests than we do (request smuggling).
        http.setHttpCompliance(HttpCompliance.RFC9110.without("RFC9110_STRICT_LINE_ENDINGS",
            HttpCompliance.Violation.LF_HEADER_TERMINATION, HttpCompliance.Violation.LF_CHUNK_TERMINATION));
        // Mercure's subscription API names a subscription by its percent-encoded matcher, so "%2F" in
        // a path segment must reach the servlet (the servlet handler allows it too, below).
        http.setUriCompliance(UriCompliance.DEFAULT.with("mercure", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new BatchingConnector(server, config.tls().enabled()
            ? ServerProtocols.tls(server, http, config.tls())
            : ServerProtocols.cleartext(http, config.tls()));
        connector.setHost(config.server().host());
        connector.setPort(config.server().port());
        connector.setIdleTimeout(config.server().idleTimeout().toMillis());
        connector.setAcceptQueueSize(Capacity.ACCEPT_BACKLOG);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(capacity.maxConnections(), connector));
        connector.addBean(new RequestHeadDeadline(connector.getScheduler(), config.server().requestHeadTimeout().toMillis()));

        ServletContextHandler context = new ServletContextHandler("/");
        context.setAttribute(GatewayListener.CONFIG_ATTRIBUTE, config);
        context.setAttribute(GatewayListener.STREAM_OUTPUTS_ATTRIBUTE, new JettyStreamOutputs());
        context.setAttribute(GatewayListener.WARM_UP_ATTRIBUTE, config.server().warmUp());
        context.addEventListener(new GatewayListener());
        context.setBaseResource(ResourceFactory.of(context).newClassLoaderResource("webapp/"));
        context.setWelcomeFiles(new String[] {"index.html"});
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder statics = new ServletHolder("static", DefaultServlet.class);
        statics.setInitParameter("dirAllowed", "false");
        context.addServlet(statics, "/");
        Handler handoff = new StreamHandoff(new NoChannelCache(context));
        server.setHandler(new InPlaceStreamOpening(ManagementPort.install(server, http, config.server(), handoff)));
        if (config.logging().accessLog()) {
            server.setRequestLog(accessLog());
        }
        return server;
    }

    /**
     * One line per request on the {@code access} logger: client, time, method, the path without
     * its query string ({@code %U}: a subscriber's token may travel as {@code ?access_token=}),
     * protocol, status, bytes sent and milliseconds (a stream's line when it ends).
     */
    private static CustomRequestLog accessLog() {
        Slf4jRequestLogWriter writer = new Slf4jRequestLogWriter();
        writer.setLoggerName("access");
        return new CustomRequestLog(writer, "%{client}a \"%m %U %H\" %s %O %{ms}Tms");
    }

    /** The gateway running inside a started server. */
    public static Gateway gateway(Server server) {
        ServletContextHandler context = server.getDescendant(ServletContextHandler.class);
        return (Gateway) context.getServletContext().getAttribute(GatewayListener.GATEWAY_ATTRIBUTE);
    }

    /** The port the server listens on (useful with port 0). */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The management port the server listens on, if it has one ({@link ManagementPort}). */
    public static OptionalInt managementPort(Server server) {
        for (Connector connector : server.getConnectors()) {
            if (ManagementPort.NAME.equals(connector.getName())) {
                return OptionalInt.of(((ServerConnector) connector).getLocalPort());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Drains the gateway first (streams get {@code server-shutdown} while the connector still
     * works), then stops Jetty.
     */
    public static void stop(Server server) throws Exception {
        Gateway gateway = gateway(server);
        if (gateway != null) {
            gateway.shutdown();
        }
        server.stop();
    }

    /**
     * The stop before the process exits (SIGTERM): drains as {@link #stop} does, but when streams
     * are still open at the drain's deadline, Jetty is not stopped: the exit closes their
     * connections at once, where Jetty would fail each HTTP/2 stream on a thread of its own (at a
     * million streams, minutes past the deadline; measured in docs/performance.md).
     */
    public static void stopForExit(Server server) throws Exception {
        Gateway gateway = gateway(server);
        if (gateway == null || gateway.shutdown(false)) {
            server.stop();
        }
    }
}
