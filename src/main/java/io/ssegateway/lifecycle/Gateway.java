package io.ssegateway.lifecycle;

import io.ssegateway.auth.AccessPolicy;
import io.ssegateway.auth.ClientAddress;
import io.ssegateway.auth.StreamsPerClient;
import io.ssegateway.broker.Broker;
import io.ssegateway.broker.Replay;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.Setting;
import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.FrameEncoder;
import io.ssegateway.hub.CapacityGate;
import io.ssegateway.hub.Hub;
import io.ssegateway.ops.Capacity;
import io.ssegateway.ops.GatewayMetrics;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.event.EventId;
import io.ssegateway.stream.Admission;
import io.ssegateway.stream.BusyAnswer;
import io.ssegateway.stream.CloseReason;
import io.ssegateway.stream.DisconnectWatch;
import io.ssegateway.stream.FrameWriter;
import io.ssegateway.stream.SseStream;
import io.ssegateway.stream.StreamHost;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One node's object graph: configuration, broker, hub, capacity, metrics and the threads that
 * pump streams and send heartbeats. The jar and the WAR both build it through
 * {@link GatewayListener}; tests start it the same way on port 0.
 *
 * <p>Threads: the pump executor runs stream pumps that a producer woke (at most one task per
 * stream is ever queued, so its queue is bounded by the number of streams); the ticker sends
 * heartbeats and runs the broker's housekeeping.
 */
public final class Gateway implements StreamHost {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final GatewayConfig config;
    private final Broker broker;
    private final Hub hub;
    private final CapacityGate capacity;
    private final GatewayMetrics metrics;
    private final FrameWriter frameWriter;
    private final ControlFrame preamble;
    private final ExecutorService pumps;
    private final ScheduledExecutorService ticker;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final AccessPolicy access;
    private final Admission admission;
    private final DisconnectWatch disconnectWatch;
    private volatile boolean draining;

    public Gateway(GatewayConfig config, Broker broker, Capacity capacity, FrameWriter frameWriter,
                   DisconnectWatch disconnectWatch, GatewayMetrics metrics) {
        this.config = config;
        this.broker = broker;
        this.metrics = metrics;
        this.hub = new Hub(broker, metrics);
        this.capacity = new CapacityGate(capacity.maxStreams());
        this.frameWriter = frameWriter;
        this.preamble = new ControlFrame(FrameEncoder.concat(
            FrameEncoder.comment("sse-gateway"), FrameEncoder.retry(config.retry().toMillis())));
        this.pumps = Executors.newFixedThreadPool(config.pumpThreads(), daemonThreads("sse-pump"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("sse-ticker"));
        metrics.registerState(hub::streamCount, this.capacity::max, this::queuedBytes);
        this.access = AccessPolicy.fromConfig(config);
        this.disconnectWatch = disconnectWatch;
        this.admission = new Admission(access, this::isDraining,
            new ClientAddress(new java.util.HashSet<>(config.list(Setting.TRUSTED_PROXIES))),
            new StreamsPerClient(config.maxStreamsPerClient()), this.capacity);
    }

    public AccessPolicy access() {
        return access;
    }

    /** Decides whether a stream may open. */
    public Admission admission() {
        return admission;
    }

    /** How the container reports a stream's client leaving while nothing is written. */
    public DisconnectWatch disconnectWatch() {
        return disconnectWatch;
    }

    /**
     * Answers a stream request that cannot be served now ({@link BusyAnswer}): the delay spreads over
     * {@code retry}, and over the shutdown jitter too while draining.
     */
    public void refuse(HttpServletRequest req, HttpServletResponse resp, String reason, String message)
        throws java.io.IOException {
        BusyAnswer.send(req, resp, reason, message, config.retry().toMillis(), refusalJitterMillis());
    }

    private long refusalJitterMillis() {
        return draining ? config.shutdownRetryJitter().toMillis() : 0;
    }

    /** Closes {@code stream} with {@code token-expired} at {@code expiresAt}, unless it closes first. */
    public void closeAt(SseStream stream, java.time.Instant expiresAt) {
        long delay = Math.max(0, expiresAt.toEpochMilli() - System.currentTimeMillis());
        java.util.concurrent.ScheduledFuture<?> timer = ticker.schedule(
            () -> execute(() -> stream.close(CloseReason.TOKEN_EXPIRED)), delay, TimeUnit.MILLISECONDS);
        stream.whenClosed(() -> timer.cancel(false));
    }

    /** Connects the broker to the hub and starts heartbeats. */
    public Gateway start() {
        broker.start(hub);
        long beat = config.heartbeat().toMillis();
        ticker.scheduleAtFixedRate(() -> hub.forEachStream(SseStream::heartbeat), beat, beat, TimeUnit.MILLISECONDS);
        // Often enough that forgotten topics leave memory soon after history-max-age, at most once a minute.
        long housekeeping = Math.max(1_000, Math.min(60_000, config.historyMaxAge().toMillis() / 4));
        ticker.scheduleWithFixedDelay(this::housekeeping, housekeeping, housekeeping, TimeUnit.MILLISECONDS);
        return this;
    }

    public GatewayConfig config() {
        return config;
    }

    public Broker broker() {
        return broker;
    }

    public Hub hub() {
        return hub;
    }

    public CapacityGate capacity() {
        return capacity;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public FrameWriter frameWriter() {
        return frameWriter;
    }

    /** The first frames of every stream: a comment (so headers and a byte go out at once) and {@code retry:}. */
    public ControlFrame preamble() {
        return preamble;
    }

    /** True from the start of shutdown: new streams and publishes are refused with 503. */
    public boolean isDraining() {
        return draining;
    }

    /** Ready for traffic: not draining and the broker reachable. */
    public boolean isReady() {
        return !draining && broker.isAvailable();
    }

    /**
     * Drains and stops, at most {@code drain-timeout} plus a second: readiness goes false, new
     * streams and publishes get 503, every stream is sent {@code server-shutdown} with a jittered
     * {@code retry:} and closed once that is written; streams still open at the deadline are
     * closed. Idempotent; a second caller returns at once.
     */
    public void shutdown() {
        if (!shutdownStarted.compareAndSet(false, true)) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        AtomicInteger told = new AtomicInteger();
        hub.forEachStream(stream -> {
            stream.shutdown(shutdownFrame());
            told.incrementAndGet();
        });
        LOG.log(Level.INFO, "shutdown: told {0} streams to reconnect elsewhere; waiting up to {1}",
            told.get(), config.raw(Setting.DRAIN_TIMEOUT));
        while (hub.streamCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = hub.streamCount();
        hub.forEachStream(stream -> stream.close(CloseReason.SHUTDOWN));
        ticker.shutdownNow();
        broker.close();
        pumps.shutdown();
        try {
            pumps.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.INFO, "shutdown complete; {0} streams were closed at the deadline", left);
    }

    /** {@code server-shutdown} with a retry between the configured retry and retry + jitter. */
    private ControlFrame shutdownFrame() {
        long jitter = config.shutdownRetryJitter().toMillis();
        long retry = config.retry().toMillis() + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
        return new ControlFrame(FrameEncoder.withRetry(retry,
            FrameEncoder.event(null, "server-shutdown", "{\"reason\":\"shutdown\",\"retryMillis\":" + retry + "}")));
    }

    private void housekeeping() {
        try {
            broker.housekeeping();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "broker housekeeping failed", e);
        }
    }

    private double queuedBytes() {
        LongAdder sum = new LongAdder();
        hub.forEachStream(s -> sum.add(s.queuedBytes()));
        return sum.doubleValue();
    }

    // ---- StreamHost ----

    @Override
    public void execute(Runnable task) {
        try {
            pumps.execute(task);
        } catch (RejectedExecutionException stopped) {
            // Only after shutdown stopped the pumps; the stream is being closed anyway.
            task.run();
        }
    }

    @Override
    public CompletableFuture<Void> register(SseStream stream) {
        return hub.register(stream);
    }

    @Override
    public void unregister(SseStream stream) {
        hub.unregister(stream);
    }

    @Override
    public Replay replay(List<String> topics, EventId after, int maxBytes) throws BrokerUnavailableException {
        return broker.replay(topics, after, maxBytes);
    }

    @Override
    public ControlFrame closedBeforeOpen(CloseReason reason) {
        return BusyAnswer.frame(reason.wireName(), config.retry().toMillis(), refusalJitterMillis());
    }

    @Override
    public void replayed(int events) {
        metrics.eventsReplayed(events);
    }

    @Override
    public void written(int bytes, long oldestPublishedAtMillis) {
        metrics.written(bytes);
        if (oldestPublishedAtMillis > 0) {
            metrics.publishToWrite(oldestPublishedAtMillis, System.currentTimeMillis());
        }
    }

    @Override
    public void dropped(int frames) {
        metrics.framesDropped(frames);
    }

    @Override
    public void gapSignalled(String reason) {
        metrics.gapSignalled(reason);
    }

    @Override
    public void closed(SseStream stream, CloseReason reason) {
        metrics.streamClosed(reason.wireName());
        if (reason == CloseReason.SLOW_CONSUMER) {
            LOG.log(Level.INFO, "closed slow stream {0}: its queue of {1} bytes was full; the client resumes from history",
                stream, config.queueMaxBytes());
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
