package io.ssegateway.spring;

import io.ssegateway.config.GatewayConfig;
import io.ssegateway.lifecycle.Gateway;
import io.ssegateway.lifecycle.GatewayListener;
import jakarta.servlet.ServletContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The gateway in the application's own servlet container. As the container starts, it registers
 * the gateway's servlets ({@code /events}, {@code /publish}, {@code /health}, {@code /ready},
 * {@code /metrics}, and Mercure's when on) through the same wiring as the WAR
 * ({@link GatewayListener#mount}), with the settings {@link SpringSettings} resolves. Its filters
 * (methods, transfer encodings, JSON errors, CORS) apply to those servlets only: the application's
 * own controllers keep their PUT and DELETE, their error pages and their CORS rules.
 *
 * <p>At shutdown it drains before the web server's graceful shutdown begins: its phase is just
 * above the web server's graceful shutdown ({@link WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE}), and Spring stops higher phases first. So
 * every stream is sent {@code server-shutdown} and closed (at most {@code drain-timeout}), and only
 * then does the container wait for the requests still running: an open stream never holds the
 * graceful shutdown until its timeout. Readiness is already {@code REFUSING_TRAFFIC} by then (Spring
 * Boot sets it when the context starts closing) and the {@code sseGateway} health contributor says
 * {@code OUT_OF_SERVICE} while the gateway drains.
 */
final class EmbeddedGateway implements ServletContextInitializer, SmartLifecycle, DisposableBean {
    private static final Log LOG = LogFactory.getLog(EmbeddedGateway.class);
    private final ConfigurableEnvironment environment;
    private volatile Gateway gateway;
    private volatile boolean running;

    EmbeddedGateway(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public void onStartup(ServletContext context) {
        GatewayConfig config = SpringSettings.resolve(environment);
        context.setAttribute(GatewayListener.CONFIG_ATTRIBUTE, config);
        gateway = GatewayListener.mount(context, GatewayListener.Scope.OWN_SERVLETS);
    }

    /** The running gateway; it exists once the servlet container started. */
    Gateway running() {
        Gateway started = gateway;
        if (started == null) {
            throw new IllegalStateException("the embedded gateway starts with the servlet container; it has not started yet");
        }
        return started;
    }

    /** The gateway, or null before the container started it. */
    Gateway orNull() {
        return gateway;
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Drains: returns when every stream is closed or {@code drain-timeout} passed. Logged here through
     * Spring's logging as well: in an executable Boot jar the JDK cannot find the SLF4J provider of
     * {@code System.Logger} (nested jars are not on the system class path), so the gateway's own
     * lines go through java.util.logging, whose shutdown hook may close its handlers first.
     */
    @Override
    public void stop() {
        running = false;
        Gateway started = gateway;
        if (started != null && !started.isDraining()) {
            long t0 = System.nanoTime();
            int streams = started.streams();
            LOG.info("sse-gateway: draining " + streams + " streams before the web server's graceful shutdown");
            started.shutdown();
            LOG.info("sse-gateway: drained in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
    }

    /** Also when the context closes without stopping its lifecycle (a failed start). Idempotent. */
    @Override
    public void destroy() {
        stop();
    }
}
