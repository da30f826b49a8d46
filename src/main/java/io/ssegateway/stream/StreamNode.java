package io.ssegateway.stream;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import io.ssegateway.broker.SharedReplays;
import io.ssegateway.config.SlowConsumerPolicy;
import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.event.EventId;
import io.ssegateway.hub.Hub;
import io.ssegateway.hub.Selector;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The streams of one node: it makes them, is the {@link StreamHost} of each (hub membership,
 * history pages, the pump executor, what is reported), times token expiry, and answers refusals.
 * Built by the wiring root with exactly what streams use.
 */
public final class StreamNode implements StreamHost {
    private static final System.Logger LOG = System.getLogger(StreamNode.class.getName());

    /**
     * How this node's streams behave.
     *
     * @param queueMaxBytes       the per-stream queue bound
     * @param slowConsumer        what a full queue does
     * @param retryMillis         the {@code retry:} sent to clients
     * @param shutdownJitterMillis the spread added to retries while draining
     * @param outputs             how an admitted stream takes over its response
     */
    public record Settings(int queueMaxBytes, SlowConsumerPolicy slowConsumer, long retryMillis,
                           long shutdownJitterMillis, StreamOutputs outputs) {
    }

    /** How often {@link #heartbeatTick} must run per heartbeat interval. */
    public static final int TICKS_PER_HEARTBEAT = StreamRoster.SLICES;

    private final Hub<SseStream> hub;
    /** Every stream of the node, for heartbeats, shutdown and metrics (the hub knows them by topic only). */
    private final StreamRoster streams = new StreamRoster();
    /** Heartbeat ticks so far; each visits the next slice of {@link #streams}. Only the ticker's thread touches it. */
    private long ticks;
    private final Broker broker;
    /** Streams resuming from the same id (a restarted node's) share history reads. */
    private final SharedReplays replays;
    private final Settings settings;
    private final Executor pumps;
    private final ScheduledExecutorService timers;
    private final BooleanSupplier draining;
    private final StreamObserver observer;
    /** Every stream's first frame: the preamble comment and this node's {@code retry:} line. */
    private final ControlFrame preamble;
    private final StreamOpener opener = new StreamOpener(this);
    /** The pump groups of the HTTP/2 connections that carry streams; their runs go through {@link #execute}. */
    private final PumpGroups groups = new PumpGroups(this::execute);
    /** Bytes in all streams' queues, kept by the queues themselves: a scrape must not visit a million streams. */
    private final LongAdder queued = new LongAdder();
    /** Responses of streams the container has neither completed nor failed yet ({@link StreamOutput#whenFinished}). */
    private final LongAdder unfinished = new LongAdder();

    /**
     * @param pumps    runs pump runs and closes decided off container threads
     * @param timers   runs token-expiry timers
     * @param draining true while the node shuts down (refusals then spread over the shutdown jitter)
     */
    public StreamNode(Hub<SseStream> hub, Broker broker, Settings settings, Executor pumps,
                      ScheduledExecutorService timers, BooleanSupplier draining, StreamObserver observer) {
        this.hub = hub;
        this.replays = new SharedReplays(hub::handedOut);
        this.broker = broker;
        this.settings = settings;
        this.pumps = pumps;
        this.timers = timers;
        this.draining = draining;
        this.observer = observer;
        this.preamble = ControlFrames.preamble(settings.retryMillis());
    }

    /**
     * Starts an admitted stream: answers 200 {@code text/event-stream} (headers the caller set stay),
     * makes the stream and takes it to its first byte ({@link StreamOpener}). The stream returns the
     * permit when it closes; if it cannot be made, the permit is returned here.
     *
     * @return the stream, which may already be closed
     */
    public SseStream launch(HttpServletRequest req, HttpServletResponse resp, Subscription subscription,
                            Admission.Admitted admitted) throws IOException {
        return launch(req, resp, subscription, admitted, ResumeHeaders.NONE);
    }

    /** As the launch above; a resuming stream tells {@code headers} whether its history is complete. */
    public SseStream launch(HttpServletRequest req, HttpServletResponse resp, Subscription subscription,
                            Admission.Admitted admitted, ResumeHeaders headers) throws IOException {
        boolean started = false;
        try {
            streamHeaders(resp);
            StreamOutput output = settings.outputs().open(req, resp);
            unfinished.increment();
            output.whenFinished(unfinished::decrement);
            SseStream stream = newStream(output, req, subscription);
            stream.whenClosed(admitted.permit()::release);
            started = true;
            if (admitted.tokenExpiry() != null) {
                closeAt(stream, admitted.tokenExpiry());
            }
            opener.start(output, stream, subscription.lastEventId(), headers);
            return stream;
        } finally {
            if (!started) {
                admitted.permit().release();
            }
        }
    }

    /** 200 and the headers of a stream: its type, no caching, no buffering in nginx. */
    static void streamHeaders(HttpServletResponse resp) {
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("utf-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Accel-Buffering", "no");
    }

    /**
     * A new stream on {@code output}. The streams of one HTTP/2 connection share a
     * {@link PumpGroup}, so that a broadcast writes to the connection in a batch.
     */
    private SseStream newStream(StreamOutput output, HttpServletRequest req, Subscription subscription) {
        String connection = "HTTP/2.0".equals(req.getProtocol()) ? req.getServletConnection().getConnectionId() : null;
        PumpGroup group = connection == null ? null : groups.join(connection);
        SseStream stream = new SseStream(output, subscription, settings.queueMaxBytes(), settings.slowConsumer(), this, group);
        if (group != null) {
            stream.whenClosed(() -> groups.leave(connection));
        }
        return stream;
    }

    /** Closes {@code stream} with {@code token-expired} at {@code expiresAt}, unless it closes first. */
    private void closeAt(SseStream stream, Instant expiresAt) {
        long delay = Math.max(0, expiresAt.toEpochMilli() - System.currentTimeMillis());
        ScheduledFuture<?> timer = timers.schedule(
            () -> execute(() -> stream.close(CloseReason.TOKEN_EXPIRED)), delay, TimeUnit.MILLISECONDS);
        stream.whenClosed(() -> timer.cancel(false));
    }

    /**
     * Answers a stream request that cannot be served now ({@link BusyAnswer}): the delay spreads over
     * {@code retry}, and over the shutdown jitter too while draining.
     */
    public void refuse(HttpServletRequest req, HttpServletResponse resp, String reason, String message) throws IOException {
        BusyAnswer.send(req, resp, reason, message, settings.retryMillis(), refusalJitterMillis());
    }

    /** The first frame of every stream: a comment and the {@code retry:} line, so headers and bytes go out at once. */
    ControlFrame preamble() {
        return preamble;
    }

    /** What the first replay page may hold besides the preamble. */
    int firstPageBudget() {
        return Math.max(1, settings.queueMaxBytes() - preamble.frame().length);
    }

    /** Where this node's streams report; the doors report their refusals here too. */
    public StreamObserver observer() {
        return observer;
    }

    /**
     * The ticker's tick, {@link #TICKS_PER_HEARTBEAT} times per heartbeat interval: heartbeats, and
     * the stall check, for the next slice of the streams, so that each stream gets one call per
     * interval and the node's heartbeats spread over it.
     */
    public void heartbeatTick() {
        streams.forEachInSlice(ticks++, SseStream::heartbeat);
    }

    /**
     * Tells every stream to reconnect elsewhere with {@code frame}'s jittered retry, until
     * {@code deadlineNanos} ({@link System#nanoTime} time) passes; returns how many were told.
     */
    public int shutdownAll(java.util.function.Supplier<ControlFrame> frame, long deadlineNanos) {
        return streams.forEachUntil(deadlineNanos, stream -> stream.shutdown(frame.get()));
    }

    /** Closes every stream still open. */
    public void closeAll(CloseReason reason) {
        streams.forEach(stream -> stream.close(reason));
    }

    /** Runs {@code action} for each stream registered and not yet closed. */
    public void forEachStream(java.util.function.Consumer<SseStream> action) {
        streams.forEach(action);
    }

    /** Streams registered and not yet closed. */
    public int streamCount() {
        return streams.size();
    }

    /**
     * Stream responses the container has neither completed nor failed: a closed stream's response
     * counts until its end is written. A drain waits for these too before the connector stops.
     */
    public long unfinishedResponses() {
        return unfinished.sum();
    }

    /** Bytes waiting in all streams' queues (a broadcast frame counts once per queue that holds it). */
    public double queuedBytes() {
        return queued.doubleValue();
    }

    private long refusalJitterMillis() {
        return draining.getAsBoolean() ? settings.shutdownJitterMillis() : 0;
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
        streams.add(stream);
        return hub.register(stream);
    }

    @Override
    public void unregister(SseStream stream) {
        streams.remove(stream);
        // Always, not only when the set had it: a stream closed while it registered calls this again
        // after registering, and the topics added after the first call must be left too.
        hub.unregister(stream);
    }

    @Override
    public Replay replay(SseStream stream, EventId after, int maxBytes) throws BrokerUnavailableException {
        Replay page = replays.replay(stream.topics(), after, maxBytes, () -> broker.replay(stream.topics(), after, maxBytes));
        Selector selector = stream.selector();
        return selector == null ? page : page.keep(selector::wants);
    }

    @Override
    public ControlFrame closedBeforeOpen(CloseReason reason) {
        return BusyAnswer.frame(reason.wireName(), settings.retryMillis(), refusalJitterMillis());
    }

    @Override
    public LongAdder queueTally() {
        return queued;
    }

    @Override
    public void written(int bytes, long oldestPublishedAtMillis) {
        observer.written(bytes, oldestPublishedAtMillis);
    }

    @Override
    public void replayed(int events) {
        observer.eventsReplayed(events);
    }

    @Override
    public void dropped(int frames) {
        observer.framesDropped(frames);
    }

    @Override
    public void gapSignalled(String reason) {
        observer.gapSignalled(reason);
    }

    @Override
    public void closed(SseStream stream, CloseReason reason) {
        observer.streamClosed(reason.wireName());
        if (reason == CloseReason.SLOW_CONSUMER) {
            LOG.log(Level.INFO, "closed slow stream {0}: its queue of {1} bytes was full or stalled; the client "
                + "resumes from history", stream, settings.queueMaxBytes());
        }
    }
}
