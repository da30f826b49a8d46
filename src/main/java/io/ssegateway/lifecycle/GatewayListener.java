package io.ssegateway.lifecycle;

import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.ssegateway.auth.CorsFilter;
import io.ssegateway.broker.Broker;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.MercureSettings;
import io.ssegateway.http.JsonErrors;
import io.ssegateway.http.KeepAliveGuard;
import io.ssegateway.http.MethodFilter;
import io.ssegateway.http.TransferEncodingFilter;
import io.ssegateway.http.TurnedOff;
import io.ssegateway.mercure.MercureDoor;
import io.ssegateway.mercure.ProtectedResourceMetadata;
import io.ssegateway.ops.Capacity;
import io.ssegateway.ops.FileLimits;
import io.ssegateway.ops.GatewayMetrics;
import io.ssegateway.ops.HealthServlet;
import io.ssegateway.ops.YoungGeneration;
import io.ssegateway.publish.PublishServlet;
import io.ssegateway.stream.SseServlet;
import io.ssegateway.stream.StreamOutputs;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one wiring path of the gateway, for the WAR (declared in {@code web.xml}) and the embedded
 * server alike: resolves the configuration, builds the {@link Gateway}, registers the servlets,
 * and on {@link #contextDestroyed} drains and stops it.
 *
 * <p>The embedded server passes its already-resolved configuration and its frame writer as
 * context attributes; in a container the configuration comes from system properties,
 * {@code SSE_*} environment variables and {@code sse.*} context init parameters.
 */
public class GatewayListener implements ServletContextListener {
    /** Context attribute holding the running {@link Gateway}. */
    public static final String GATEWAY_ATTRIBUTE = Gateway.class.getName();
    /** Optional context attribute: a {@link GatewayConfig} resolved by the embedded server. */
    public static final String CONFIG_ATTRIBUTE = GatewayConfig.class.getName();
    /** Optional context attribute: the {@link StreamOutputs} the container offers (else the portable one). */
    public static final String STREAM_OUTPUTS_ATTRIBUTE = StreamOutputs.class.getName();
    /**
     * Set to {@code Boolean.TRUE} by the jar when it will warm up after the port is bound: the
     * gateway then starts not ready ({@link Gateway#warmingUp}). A WAR's container never sets it.
     */
    public static final String WARM_UP_ATTRIBUTE = "io.ssegateway.warm-up";

    private static final System.Logger LOG = System.getLogger(GatewayListener.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        mount(sce.getServletContext(), Scope.WHOLE_CONTEXT);
    }

    /** Where the gateway's filters apply. */
    public enum Scope {
        /** The gateway is the whole web application (the WAR, the jar): its filters see every request. */
        WHOLE_CONTEXT,
        /**
         * The gateway sits beside an application's own servlets (Spring Boot): its filters see only
         * requests to its own servlets, so the application's methods, CORS, error pages and root
         * path stay the application's, and there is no demo page to turn off.
         */
        OWN_SERVLETS
    }

    /**
     * Builds and starts the gateway and registers its servlets and filters in {@code ctx}: what
     * {@link #contextInitialized} does, for a container that lets code register servlets only from
     * its own initializer (Spring Boot's embedded containers call a {@code ServletContextInitializer}).
     * The caller then owns the shutdown: {@link Gateway#shutdown()}.
     */
    public static Gateway mount(ServletContext ctx, Scope scope) {
        GatewayConfig given = (GatewayConfig) ctx.getAttribute(CONFIG_ATTRIBUTE);
        GatewayConfig config = given != null ? given
            : GatewayConfig.resolve(Map.of(), GatewayConfig.systemProperties(), System.getenv(), initParameters(ctx));
        StreamOutputs outputs = (StreamOutputs) ctx.getAttribute(STREAM_OUTPUTS_ATTRIBUTE);
        Capacity capacity = Capacity.derive(config, FileLimits.current());
        LOG.log(Level.INFO, "capacity: {0}", capacity.explanation());
        YoungGeneration.warning(config.limits().maxStreams()).ifPresent(warning -> LOG.log(Level.WARNING, warning));

        GatewayMetrics metrics = new GatewayMetrics();
        Broker broker = Brokers.create(config, metrics);
        LOG.log(Level.INFO, "broker: {0}", broker);
        Gateway gateway = new Gateway(config, broker, capacity, outputs != null ? outputs : StreamOutputs.PORTABLE,
            metrics).start();
        gateway.warmingUp(Boolean.TRUE.equals(ctx.getAttribute(WARM_UP_ATTRIBUTE)));
        ctx.setAttribute(GATEWAY_ATTRIBUTE, gateway);

        List<String> servlets = new ArrayList<>();
        if (gateway.access().publishNeedsToken()) {
            LOG.log(Level.INFO, "publishing needs a Bearer JWT whose publish claim allows the topic");
        } else {
            LOG.log(Level.WARNING, "no auth key configured (SSE_AUTH_HS256_SECRET_FILE, SSE_AUTH_PUBLIC_KEY_FILE, "
                + "SSE_AUTH_JWKS_FILE): only loopback clients may publish");
        }
        add(ctx, servlets, "events", new SseServlet(gateway.admission(), gateway.streamNode(), config.streams().maxTopics()), SseServlet.PATH);
        add(ctx, servlets, "publish", new PublishServlet(gateway.access(), broker, gateway::isDraining, gateway.requestBodies(),
            gateway.metrics(), gateway.mirror()), "/publish");
        if (gateway.mercure() != null) {
            MercureDoor mercure = gateway.mercure();
            add(ctx, servlets, "mercure", mercure.servlet(gateway.admission(), gateway.streamNode(), gateway::isDraining,
                gateway.requestBodies(), config.streams().maxTopics(), gateway.metrics()), MercureSettings.PATH);
            add(ctx, servlets, "mercure-metadata", mercure.metadata(), ProtectedResourceMetadata.PATH);
            if (mercure.subscriptionApi() != null) {
                add(ctx, servlets, "mercure-subscriptions", mercure.subscriptionApi(), mercure.subscriptionsPath(),
                    mercure.subscriptionsPath() + "/*");
            }
            LOG.log(Level.INFO, "Mercure hub at {0}", config.mercure().hubUrl());
        }
        add(ctx, servlets, "health", new HealthServlet(gateway, false), "/health");
        add(ctx, servlets, "ready", new HealthServlet(gateway, true), "/ready");
        if (config.operations().metrics()) {
            add(ctx, servlets, "metrics", new PrometheusMetricsServlet(gateway.metrics().registry()), "/metrics");
        }

        // In this order: the guard must wrap the response before any filter answers an error.
        String[] only = scope == Scope.OWN_SERVLETS ? servlets.toArray(String[]::new) : null;
        addFilter(ctx, only, "keep-alive-guard", new KeepAliveGuard());
        addFilter(ctx, only, "transfer-encoding", new TransferEncodingFilter());
        addFilter(ctx, only, "methods", new MethodFilter());
        addFilter(ctx, only, "json-errors", new JsonErrors());
        if (scope == Scope.WHOLE_CONTEXT && (!config.operations().page() || !config.operations().metrics())) {
            addFilter(ctx, only, "turned-off", new TurnedOff(config.operations().page(), config.operations().metrics()));
        }
        // Always: with no origins allowed it still logs the first refusal of each origin, the one
        // trace a cross-origin page's failure leaves.
        addFilter(ctx, only, "cors", new CorsFilter(config.auth().corsOrigins()));
        LOG.log(Level.INFO, () -> "sse-gateway started: " + config.summary());
        return gateway;
    }

    @Override
    public void contextDestroyed(ServletContextEvent sce) {
        Gateway gateway = (Gateway) sce.getServletContext().getAttribute(GATEWAY_ATTRIBUTE);
        if (gateway != null) {
            gateway.shutdown();
        }
    }

    private static Map<String, String> initParameters(ServletContext ctx) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String name : java.util.Collections.list(ctx.getInitParameterNames())) {
            out.put(name, ctx.getInitParameter(name));
        }
        return out;
    }

    /** A filter on every request, or on the named servlets' only. */
    private static void addFilter(ServletContext ctx, String[] servlets, String name, jakarta.servlet.Filter filter) {
        FilterRegistration.Dynamic reg = ctx.addFilter(name, filter);
        if (reg == null) {
            throw new IllegalStateException("the web application already has a filter named " + name);
        }
        reg.setAsyncSupported(true);
        // Matched after any filter a deployment descriptor declares, and among ours in the order added.
        if (servlets == null) {
            reg.addMappingForUrlPatterns(null, true, "/*");
        } else {
            reg.addMappingForServletNames(null, true, servlets);
        }
    }

    private static void add(ServletContext ctx, List<String> added, String name, jakarta.servlet.Servlet servlet, String... paths) {
        ServletRegistration.Dynamic reg = ctx.addServlet(name, servlet);
        if (reg == null) {
            throw new IllegalStateException("the web application already has a servlet named " + name);
        }
        reg.setAsyncSupported(true);
        reg.addMapping(paths);
        added.add(name);
    }
}
