package io.ssegateway.lifecycle;

import io.ssegateway.auth.AccessPolicy;
import io.ssegateway.auth.ClientAddress;
import io.ssegateway.auth.StreamsPerClient;
import io.ssegateway.broker.Broker;
import io.ssegateway.concurrent.DaemonThreads;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.http.RequestBodies;
import io.ssegateway.hub.CapacityGate;
import io.ssegateway.hub.Hub;
import io.ssegateway.mercure.MercureDoor;
import io.ssegateway.ops.Capacity;
import io.ssegateway.ops.GatewayMetrics;
import io.ssegateway.ops.NodeState;
import io.ssegateway.publish.DirectPublisher;
import io.ssegateway.publish.Mirror;
import io.ssegateway.stream.Admission;
import io.ssegateway.stream.CloseReason;
import io.ssegateway.stream.SseStream;
import io.ssegateway.stream.StreamNode;
import io.ssegateway.stream.StreamOutputs;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One node's object graph, and its start and stop: configuration, broker, hub, capacity, admission,
 * the streams' node, metrics, and the threads that pump streams and tick. The jar and the WAR both
 * build it through {@link GatewayListener}; tests start it the same way on port 0. It builds and
 * runs things; the servlets get what they use from {@link GatewayListener}, not from here.
 *
 * <p>Threads: the pump executor runs stream pumps that a producer woke (at most one task per
 * stream is ever queued, so its queue is bounded by the number of streams) and closes decided off
 * container threads; the ticker sends heartbeats, times token expiry and runs the broker's housekeeping.
 */
public final class Gateway implements NodeState {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final GatewayConfig config;
    private final Broker broker;
    private final Hub<SseStream> hub;
    private final CapacityGate capacity;
    private final GatewayMetrics metrics;
    private final ExecutorService pumps;
    private final ScheduledExecutorService ticker;
    private final AccessPolicy access;
    private final Admission admission;
    private final StreamNode streams;
    /** The Mercure door, or null when it is off. */
    private final MercureDoor mercure;
    /** Publishing without HTTP, for an application that embeds the gateway. */
    private final DirectPublisher directPublisher;
    /** How both doors read publication bodies: one ceiling for the node. */
    private final RequestBodies requestBodies;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    /** The ticker's periodic tasks; cancelled at shutdown (set once by start). */
    private volatile ScheduledFuture<?> heartbeats;
    private volatile ScheduledFuture<?> housekeeping;
    private volatile boolean draining;
    /** Set while the jar's warm-up runs; only {@link #warmingUp} writes it. */
    private volatile boolean warmingUp;

    public Gateway(GatewayConfig config, Broker broker, Capacity capacity, StreamOutputs outputs,
                   GatewayMetrics metrics) {
        this.config = config;
        this.broker = broker;
        this.metrics = metrics;
        this.mercure = config.mercure().enabled() ? new MercureDoor(config.mercure(), config.auth(), broker) : null;
        this.hub = mercure == null ? new Hub<>(broker, metrics) : new Hub<>(broker, metrics, mercure::routerFor);
        this.capacity = new CapacityGate(capacity.maxStreams());
        this.pumps = Executors.newFixedThreadPool(config.streams().pumpThreads(), DaemonThreads.numbered("sse-pump"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("sse-ticker"));
        this.access = AccessPolicy.fromConfig(config.auth());
        this.admission = new Admission(access, this::isDraining,
            new ClientAddress(new HashSet<>(config.auth().trustedProxies())),
            new StreamsPerClient(config.limits().maxStreamsPerClient()), this.capacity);
        this.streams = new StreamNode(hub, broker, new StreamNode.Settings(config.streams().queueMaxBytes(),
            config.streams().slowConsumer(), config.streams().retry().toMillis(), config.shutdown().retryJitter().toMillis(),
            outputs),
            pumps, ticker, this::isDraining, metrics);
        metrics.registerState(streams::streamCount, this.capacity::max, streams::queuedBytes);
        this.requestBodies = new RequestBodies(config.limits().maxBodyBytes());
        this.directPublisher = new DirectPublisher(access, broker, this::isDraining, config.limits().maxBodyBytes(), metrics, mirror());
    }

    /** Connects the broker to the hub and starts heartbeats and housekeeping. */
    public Gateway start() {
        broker.start(hub);
        long tick = config.streams().heartbeat().toMillis() * 1000 / StreamNode.TICKS_PER_HEARTBEAT;
        heartbeats = ticker.scheduleAtFixedRate(streams::heartbeatTick, tick, tick, TimeUnit.MICROSECONDS);
        // Often enough that forgotten topics leave memory soon after history-max-age, at most once a minute.
        long every = Math.max(1_000, Math.min(60_000, config.history().maxAge().toMillis() / 4));
        housekeeping = ticker.scheduleWithFixedDelay(this::housekeeping, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Drains and stops, at most {@code drain-timeout} plus a second: readiness goes false, new
     * streams get the busy answer and publishes 503, every stream is sent {@code server-shutdown}
     * with a jittered {@code retry:} (as many as can be told before the deadline) and closed once
     * that is written, and the drain lasts until the container has written every response's end;
     * streams still open at the deadline are closed. Idempotent; a second caller returns at once.
     */
    public void shutdown() {
        var unused = shutdown(true);
    }

    /**
     * As {@link #shutdown()}; with {@code closeLeftovers} false, streams still open at the deadline
     * are left for the process's exit to cut (the runnable jar exits right after): closing them one
     * by one costs more than the drain itself at a million streams, and the container would then
     * fail each again as it stops.
     *
     * @return whether every stream closed and every response ended within the drain ({@code false}
     *         for a second caller)
     */
    public boolean shutdown(boolean closeLeftovers) {
        if (!shutdownStarted.compareAndSet(false, true)) {
            return false;
        }
        draining = true;
        long deadline = System.nanoTime() + config.shutdown().drainTimeout().toNanos();
        int open = streams.streamCount();
        // Telling stops at the deadline too: past it a supervisor's kill may come (systemd's
        // TimeoutStopSec, a pod's grace period), and at a million streams on busy cores telling
        // every one takes about as long as a broadcast.
        int told = streams.shutdownAll(this::shutdownFrame, deadline);
        if (told < open && System.nanoTime() - deadline > 0) {
            LOG.log(Level.WARNING, "shutdown: told {0} of about {1} streams to reconnect elsewhere before the {2} ms "
                + "drain-timeout passed; the rest are cut and come back after the retry: they had", told, open,
                config.shutdown().drainTimeout().toMillis());
        } else {
            LOG.log(Level.INFO, "shutdown: told {0} streams to reconnect elsewhere; waiting up to {1} ms",
                told, config.shutdown().drainTimeout().toMillis());
        }
        // Until every response's end is written, not only until every stream closed: the connector
        // stops after this, and would cut the ends still on their way.
        while ((streams.streamCount() > 0 || streams.unfinishedResponses() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = streams.streamCount();
        boolean drained = left == 0 && streams.unfinishedResponses() == 0;
        if (closeLeftovers) {
            streams.closeAll(CloseReason.SHUTDOWN);
        }
        for (ScheduledFuture<?> task : new ScheduledFuture<?>[] {heartbeats, housekeeping}) {
            if (task != null) {
                task.cancel(false);
            }
        }
        ticker.shutdownNow();
        if (mercure != null) {
            mercure.close();
        }
        broker.close();
        pumps.shutdown();
        if (closeLeftovers || drained) {
            // Let the pumps finish what they write now; streams left to the exit are cut anyway.
            try {
                pumps.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.log(Level.INFO, closeLeftovers || drained ? "shutdown complete; {0} streams were closed at the deadline"
            : "shutdown complete; {0} streams were open at the deadline: the exit closes their connections", left);
        return drained;
    }

    /** {@code server-shutdown} with a retry between the configured retry and retry + jitter. */
    private ControlFrame shutdownFrame() {
        long jitter = config.shutdown().retryJitter().toMillis();
        long retry = config.streams().retry().toMillis() + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
        return ControlFrames.shutdown(retry);
    }

    private void housekeeping() {
        try {
            broker.housekeeping();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "broker housekeeping failed", e);
        }
    }

    // ---- the built parts, for the wiring (GatewayListener) and for tests ----

    public GatewayConfig config() {
        return config;
    }

    public Broker broker() {
        return broker;
    }

    /** The Mercure door, or null when {@code mercure} is off. */
    public MercureDoor mercure() {
        return mercure;
    }

    /** Where a stored native event is copied for the other door: the Mercure log, or nowhere. */
    public Mirror mirror() {
        return mercure == null ? Mirror.NONE : mercure::copyNative;
    }

    /** How both doors read publication bodies, under one ceiling for the node. */
    public RequestBodies requestBodies() {
        return requestBodies;
    }

    /** Publishing from the gateway's own JVM, with the rules of {@code POST /publish}. */
    public DirectPublisher directPublisher() {
        return directPublisher;
    }

    public Hub<SseStream> hub() {
        return hub;
    }

    public CapacityGate capacity() {
        return capacity;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public AccessPolicy access() {
        return access;
    }

    public Admission admission() {
        return admission;
    }

    public StreamNode streamNode() {
        return streams;
    }

    // ---- NodeState ----

    /** True from the start of shutdown: new streams get the busy answer, publishes 503. */
    @Override
    public boolean isDraining() {
        return draining;
    }

    @Override
    public boolean isReady() {
        return !draining && !warmingUp && broker.isAvailable();
    }

    @Override
    public boolean isWarmingUp() {
        return warmingUp;
    }

    /**
     * The jar's warm-up has begun ({@code true}, before the port is bound) or ended: meanwhile the
     * node serves whoever connects but answers {@code /ready} with 503, so that a balancer or a
     * Kubernetes Service sends it traffic once it is warm.
     */
    public void warmingUp(boolean running) {
        warmingUp = running;
    }

    @Override
    public boolean isBrokerAvailable() {
        return broker.isAvailable();
    }

    @Override
    public String nodeName() {
        return metrics.node();
    }

    @Override
    public int streams() {
        return streams.streamCount();
    }

    @Override
    public int maxStreams() {
        return capacity.max();
    }

    @Override
    public int queueMaxBytes() {
        return config.streams().queueMaxBytes();
    }
}
