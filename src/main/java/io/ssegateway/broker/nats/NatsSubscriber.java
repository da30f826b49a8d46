package io.ssegateway.broker.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfo;
import io.ssegateway.broker.BrokerObserver;
import io.ssegateway.broker.EventSink;
import io.ssegateway.broker.Replay;
import io.ssegateway.concurrent.DaemonThreads;
import io.ssegateway.event.EventId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live delivery of one node: a single ordered consumer of the whole stream, whose messages arrive
 * on one dispatcher thread in sequence order; those of topics the node's streams want go to the
 * sink. jnats' ordered consumer recreates itself from the last sequence it delivered after a lost
 * connection or a missed message, which is the backfill. A watch every half second reads the
 * stream: it creates the stream if it is gone, and a new epoch (the stream was recreated) tells
 * every stream with a gap event and restarts delivery from the new stream's beginning.
 *
 * <p>Every node receives every event and drops those no local stream wants: simple and gap-free,
 * at the cost of each node's bandwidth carrying the whole stream (see docs/architecture.md).
 */
final class NatsSubscriber {
    private static final System.Logger LOG = System.getLogger(NatsSubscriber.class.getName());
    private static final Duration WATCH_EVERY = Duration.ofMillis(500);
    /** Watches in a row that may see the stream ahead of this node with no progress before delivery restarts. */
    private static final int STUCK_WATCHES = 4;

    private final StreamSetup setup;
    private final Subjects subjects;
    private final StreamEpoch epoch;
    private final EventSink sink;
    private final BrokerObserver metrics;
    /** Topic → sequence of its last message this node saw (-1: none yet since it was wanted). */
    private final Map<String, Long> wanted = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sse-nats-watch"));
    private volatile Connection connection;
    private volatile long lastStreamSeq;
    /** The epoch of the stream being delivered: set by the watch before its consumer starts. */
    private volatile String deliveryEpoch;
    private volatile boolean live;
    private CompletableFuture<Void> liveNow = new CompletableFuture<>();
    /** Counts consumers; messages of any but the current one are dropped. */
    private final AtomicInteger generation = new AtomicInteger();
    /** Messages on invalid subjects since the last warning, and when it was; dispatcher thread only. */
    private long skipped;
    private long skipLoggedNanos;
    /** Set on reconnection: the watch recreates the consumer rather than wait for jnats to notice. */
    private volatile boolean recreate;
    /** Owned by the watch thread. */
    private Dispatcher dispatcher;
    private JetStreamSubscription consumer;
    private long progressMark;
    /** The last failure of the stream check that was logged; "" after a success. */
    private String lastProblem = "";
    /** False until the node's first consumer: then {@link #lastStreamSeq} starts at the stream's head. */
    private boolean delivering;
    private int stuckWatches;

    NatsSubscriber(StreamSetup setup, Subjects subjects, StreamEpoch epoch, EventSink sink, BrokerObserver metrics) {
        this.setup = setup;
        this.subjects = subjects;
        this.epoch = epoch;
        this.sink = sink;
        this.metrics = metrics;
    }

    void start(Connection c) {
        connection = c;
        var unused = watch.scheduleWithFixedDelay(this::check, 0, WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized CompletableFuture<Void> subscribe(String topic) {
        wanted.putIfAbsent(topic, -1L);
        return liveNow;
    }

    void unsubscribe(String topic) {
        wanted.remove(topic);
    }

    boolean isLive() {
        return live;
    }

    /** The connection was lost: readiness goes at once, the watch brings it back. */
    void connectionLost() {
        down();
    }

    /** The connection is back: delivery restarts from the last sequence this node delivered. */
    void reconnected() {
        recreate = true;
    }

    private void check() {
        Connection c = connection;
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            down();
            return;
        }
        StreamInfo info;
        try {
            info = setup.ensure(c.jetStreamManagement());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // Said once per cause, so that a conflicting stream, a server without JetStream or a
            // missing permission is visible without a log line every half second.
            String problem = e.toString();
            if (!problem.equals(lastProblem)) {
                LOG.log(e instanceof StreamSetup.StreamConflictException ? Level.ERROR : Level.WARNING,
                    "nats stream {0} cannot be used: {1}", setup.streamName(), e.getMessage());
                lastProblem = problem;
            }
            down();
            return;
        }
        lastProblem = "";
        String now = StreamSetup.epochOf(info);
        String before = deliveryEpoch;
        try {
            if (before != null && !before.equals(now)) {
                restartSequence(before, now);
            }
            deliveryEpoch = now;
            epoch.update(now);
            long head = info.getStreamState().getLastSequence();
            if (consumer != null && (recreate || stuck(head))) {
                LOG.log(Level.INFO, "nats delivery restarts after sequence {0} (stream at {1})", lastStreamSeq, head);
                closeConsumer();
            }
            recreate = false;
            if (consumer == null) {
                if (!delivering) {
                    lastStreamSeq = head; // a node's first consumer: from what is published next
                    delivering = true;
                }
                subscribeAll(c);
            }
            up();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.WARNING, "nats consumer could not be created: {0}", e.toString());
            down();
        }
    }

    /**
     * True when the stream has events this node has not delivered and delivery made no progress
     * for {@value #STUCK_WATCHES} watches: a consumer lost on the server (a restart, a new stream
     * leader) that the client has not noticed. A busy but moving consumer is never stuck.
     */
    private boolean stuck(long head) {
        long delivered = lastStreamSeq;
        if (head <= delivered || delivered != progressMark) {
            progressMark = delivered;
            stuckWatches = 0;
            return false;
        }
        return ++stuckWatches >= STUCK_WATCHES;
    }

    /** The stream was deleted and created again: its sequence restarted. */
    private void restartSequence(String before, String now) {
        LOG.log(Level.WARNING, "nats stream {0} was recreated (epoch {1} -> {2}); streams get a gap event",
            setup.streamName(), before, now);
        closeConsumer();
        sink.gap(List.copyOf(wanted.keySet()), Replay.Gap.EPOCH_CHANGED, new EventId(now, 0));
        wanted.replaceAll((topic, seq) -> -1L);
        lastStreamSeq = 0; // the new stream's every event is new
        delivering = true;
    }

    /** Delivers from the first sequence this node has not delivered. */
    private void subscribeAll(Connection c) throws IOException, JetStreamApiException {
        if (dispatcher == null) {
            dispatcher = c.createDispatcher();
        }
        progressMark = lastStreamSeq;
        stuckWatches = 0;
        ConsumerConfiguration config = ConsumerConfiguration.builder()
            .deliverPolicy(DeliverPolicy.ByStartSequence)
            .startSequence(lastStreamSeq + 1)
            .idleHeartbeat(Duration.ofSeconds(1))
            .build();
        PushSubscribeOptions options = PushSubscribeOptions.builder().stream(setup.streamName()).ordered(true)
            .configuration(config).build();
        int current = generation.get();
        consumer = c.jetStream().subscribe(subjects.filter(), dispatcher, m -> onMessage(m, current), false, options);
    }

    private void closeConsumer() {
        generation.incrementAndGet(); // what the old consumer still has queued is dropped, not labelled with a new epoch
        if (consumer != null && dispatcher != null) {
            try {
                dispatcher.unsubscribe(consumer);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "unsubscribing the old consumer", e);
            }
        }
        consumer = null;
    }

    /** On the dispatcher thread, in sequence order; {@code from} is the consumer's generation. */
    private void onMessage(Message m, int from) {
        if (from != generation.get()) {
            return;
        }
        long seq = m.metaData().streamSequence();
        long last = lastStreamSeq;
        if (seq <= last) {
            return; // already delivered before the consumer recreated itself
        }
        lastStreamSeq = seq;
        String topic = subjects.topicOf(m.getSubject());
        if (topic == null) {
            skippedInvalid(m.getSubject());
            return;
        }
        Long seen = wanted.get(topic);
        if (seen == null) {
            return;
        }
        long previous = NatsEvents.previous(m.getHeaders());
        // A later message of the topic arrived, and the one before it never did: removed by the
        // history bounds before this node read it. Without the header, any skipped sequence may have been it.
        boolean lost = seen >= 0 && (previous >= 0 ? previous > seen : seq > last + 1);
        if (lost) {
            sink.gap(List.of(topic), Replay.Gap.HISTORY_TRIMMED, null);
        }
        wanted.replace(topic, seen, seq);
        sink.deliver(NatsEvents.event(deliveryEpoch, seq, topic, m.getHeaders(), m.getData(), m.metaData().timestamp()));
    }

    /**
     * A message on a subject that is no topic's (a publisher outside the gateway spelled it
     * wrongly): skipped, and said at most every ten seconds, so a misbehaving publisher cannot
     * flood the log.
     */
    private void skippedInvalid(String subject) {
        skipped++;
        long now = System.nanoTime();
        if (now - skipLoggedNanos > TimeUnit.SECONDS.toNanos(10) || skipLoggedNanos == 0) {
            LOG.log(Level.WARNING, "{0} nats message(s) on subjects that name no valid topic skipped (last: {1}); "
                + "subjects are <stream>.<percent-encoded topic>, see the README", skipped, subject);
            skipped = 0;
            skipLoggedNanos = now;
        }
    }

    private void up() {
        CompletableFuture<Void> ready;
        synchronized (this) {
            if (live) {
                return;
            }
            live = true;
            ready = liveNow;
        }
        metrics.brokerConnected(true);
        ready.complete(null);
    }

    private void down() {
        synchronized (this) {
            if (!live) {
                return;
            }
            live = false;
            liveNow = new CompletableFuture<>();
        }
        metrics.brokerConnected(false);
    }

    void close() {
        watch.shutdownNow();
        try {
            watch.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
