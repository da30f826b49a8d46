package io.ssegateway.broker.redis;

import io.ssegateway.broker.BrokerObserver;
import io.ssegateway.broker.EventSink;
import io.ssegateway.concurrent.DaemonThreads;
import io.ssegateway.event.Event;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * The node's one subscriber thread and its one Redis connection. It subscribes to
 * {@code sse:live:<topic>} while local streams want the topic and hands every event to the hub in
 * id order; it never writes to a client socket.
 *
 * <p>Threads: the subscriber thread reads the connection and runs every callback, so per-topic
 * progress and the epoch ({@link LiveDelivery}) are its alone. SUBSCRIBE,
 * UNSUBSCRIBE and PING are written by one command thread, in the order the hub asked for them.
 * The monitor guards the connection, the handshake and the confirmations awaited per channel.
 *
 * <p>When the connection drops it reconnects with exponential backoff and jitter, resubscribes
 * every wanted topic, and lets {@link LiveDelivery} backfill from one consistent history snapshot
 * everything newer than the last id delivered per topic, before any live message: streams see no
 * gap and no duplicate.
 *
 * <p>Why one class of this size: the connection, the handshake of a (re)subscription and the
 * confirmations awaited per channel are one piece of state under one monitor, owned by one thread;
 * the parts that do not need that state already live apart ({@code LiveDelivery},
 * {@code RedisKeys}, the publisher).
 */
final class RedisSubscriber {
    private static final System.Logger LOG = System.getLogger(RedisSubscriber.class.getName());
    /** Keeps the connection in subscribed mode while no topic is wanted. */
    private static final byte[] CONTROL_CHANNEL = RedisKeys.bytes("sse:control");
    private static final long PING_EVERY_MILLIS = 1_000;
    /** Silent this long: readiness turns false (a stalled Redis must leave the balancer within 3 s). */
    private static final long UNAVAILABLE_AFTER_MILLIS = 2_500;
    /** Silent this long: the connection is taken for dead and replaced. */
    private static final long DEAD_AFTER_MILLIS = 10_000;
    /**
     * A PING task this much later than its period: the process itself did not run meanwhile (a
     * long collection pause stops every thread; so do a stopped or starved VM), so it sent no PING
     * and read nothing, and the silence is its own.
     */
    private static final long LATE_AFTER_MILLIS = 2_000;

    private final RedisConnections connections;
    private final BrokerObserver metrics;
    private final Map<String, TopicSubscription> wanted = new ConcurrentHashMap<>();
    private final ScheduledExecutorService commands;
    private final Thread thread;
    private volatile boolean closed;
    /**
     * When the subscriber thread last read from the connection (a message or a PONG), came back
     * from handing what it read to the streams, or the process came back from a pause: the
     * connection's silence counts from here.
     */
    private volatile long lastHeardNanos = System.nanoTime();
    /** When the PING task last ran; touched by the command thread only. */
    private long lastPingNanos = System.nanoTime();
    /**
     * True while the subscriber thread hands events to the streams (at a million streams, seconds
     * per event). It reads nothing meanwhile, so the connection cannot be heard, and that silence is
     * ours, not Redis's: neither unavailable nor dead.
     */
    private volatile boolean delivering;
    /** The PING task; set by start, cancelled by close. */
    private volatile ScheduledFuture<?> pinging;

    // guarded by this
    private Jedis connection;
    private PubSub pubsub;
    private boolean connected;
    private final Map<String, ArrayDeque<TopicSubscription>> awaiting = new HashMap<>();

    /** Per-topic progress and the epoch: touched by the subscriber thread only. */
    private final LiveDelivery delivery;

    RedisSubscriber(RedisConnections connections, EventSink sink, BrokerObserver metrics, long historyMaxAgeMillis) {
        this.connections = connections;
        this.metrics = metrics;
        this.delivery = new LiveDelivery(connections, sink, wanted, historyMaxAgeMillis);
        this.commands = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sse-redis-commands"));
        this.thread = DaemonThreads.named("sse-redis-subscriber").newThread(this::run);
    }

    void start() {
        thread.start();
        pinging = commands.scheduleWithFixedDelay(this::ping, PING_EVERY_MILLIS, PING_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Connected, and Redis answered a PING recently. */
    boolean isConnected() {
        synchronized (this) {
            if (!connected) {
                return false;
            }
        }
        return !silentFor(UNAVAILABLE_AFTER_MILLIS);
    }

    /** Nothing heard for {@code millis} while the subscriber thread was free to read. */
    private boolean silentFor(long millis) {
        return !delivering && System.nanoTime() - lastHeardNanos > TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Runs {@code handOut} (delivery to the streams) on the subscriber thread, which is not listening meanwhile. */
    private void whileDelivering(Runnable handOut) {
        delivering = true;
        try {
            handOut.run();
        } finally {
            lastHeardNanos = System.nanoTime(); // before clearing the flag: a check never sees the old time alone
            delivering = false;
        }
    }

    CompletableFuture<Void> subscribe(String topic) {
        TopicSubscription sub = new TopicSubscription(topic);
        wanted.put(topic, sub);
        commands.execute(() -> sendSubscribe(sub));
        return sub.confirmed;
    }

    void unsubscribe(String topic) {
        wanted.remove(topic);
        commands.execute(() -> sendUnsubscribe(topic));
    }

    void close() {
        closed = true;
        Jedis c;
        synchronized (this) {
            c = connection;
        }
        if (c != null) {
            c.disconnect();
        }
        if (pinging != null) {
            pinging.cancel(false);
        }
        commands.shutdownNow();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- subscriber thread ----

    private void run() {
        int failures = 0;
        boolean everConnected = false;
        while (!closed) {
            try (Jedis jedis = connections.newSubscriberConnection()) {
                PubSub ps = new PubSub();
                List<byte[]> channels = new ArrayList<>();
                channels.add(CONTROL_CHANNEL);
                synchronized (this) {
                    connection = jedis;
                    pubsub = ps;
                    awaiting.clear();
                    ps.handshake = new ArrayList<>(wanted.values());
                    ps.handshakeLeft = ps.handshake.size() + 1;
                }
                for (TopicSubscription sub : ps.handshake) {
                    channels.add(RedisKeys.bytes(RedisKeys.live(sub.topic)));
                }
                lastHeardNanos = System.nanoTime();
                if (everConnected) {
                    metrics.brokerReconnected();
                }
                everConnected = true;
                failures = 0;
                jedis.subscribe(ps, channels.toArray(byte[][]::new)); // returns when the connection ends
            } catch (RuntimeException e) {
                if (!closed) {
                    // A node that never reached Redis lost nothing: say it cannot reach it.
                    LOG.log(failures == 0 ? Level.WARNING : Level.DEBUG, everConnected
                        ? "redis subscriber connection lost ({0}): {1}; reconnecting with backoff"
                        : "redis subscriber cannot reach Redis ({0}): {1}; retrying with backoff", connections, e.toString());
                }
            }
            synchronized (this) {
                connected = false;
                connection = null;
                pubsub = null;
            }
            metrics.brokerConnected(false);
            if (!closed) {
                sleepBackoff(++failures);
            }
        }
    }

    private void sleepBackoff(int failures) {
        long base = Math.min(5_000, 100L << Math.min(failures - 1, 6));
        long millis = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** All channels of the (re)connection are confirmed: backfill, then go live. */
    private void finishHandshake(PubSub ps) {
        whileDelivering(() -> delivery.backfill(ps.handshake));
        List<TopicSubscription> toSend = new ArrayList<>();
        List<String> toDrop = new ArrayList<>();
        synchronized (this) {
            connected = true;
            Set<TopicSubscription> subscribedNow = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            subscribedNow.addAll(ps.handshake);
            for (TopicSubscription sub : ps.handshake) {
                if (wanted.get(sub.topic) == sub) {
                    sub.confirmed.complete(null);
                } else {
                    toDrop.add(sub.topic);
                }
            }
            for (TopicSubscription sub : wanted.values()) {
                if (!subscribedNow.contains(sub)) {
                    toSend.add(sub);
                }
            }
        }
        metrics.brokerConnected(true);
        // Interest that changed during the handshake: unsubscribe first, so a re-subscribe wins.
        for (String topic : toDrop) {
            commands.execute(() -> sendUnsubscribe(topic));
        }
        for (TopicSubscription sub : toSend) {
            commands.execute(() -> sendSubscribe(sub));
        }
        ps.handshake = null;
        List<Event> held = ps.heldDuringHandshake;
        whileDelivering(() -> held.forEach(delivery::onLive));
        ps.heldDuringHandshake = null;
    }

    // ---- command thread ----

    private void sendSubscribe(TopicSubscription sub) {
        PubSub ps;
        synchronized (this) {
            if (!connected || wanted.get(sub.topic) != sub) {
                return; // the next handshake (or a newer subscription) takes care of it
            }
            awaiting.computeIfAbsent(sub.topic, t -> new ArrayDeque<>()).add(sub);
            ps = pubsub;
        }
        try {
            ps.subscribe(RedisKeys.bytes(RedisKeys.live(sub.topic)));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "subscribe failed; the reconnect resubscribes", e);
        }
    }

    private void sendUnsubscribe(String topic) {
        PubSub ps;
        synchronized (this) {
            if (!connected || wanted.containsKey(topic)) {
                return;
            }
            ps = pubsub;
        }
        try {
            ps.unsubscribe(RedisKeys.bytes(RedisKeys.live(topic)));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "unsubscribe failed; the reconnect forgets the topic", e);
        }
    }

    /**
     * Finds a connection that died without an error (no RST): no PONG for a while means dead. A run
     * that comes late by {@link #LATE_AFTER_MILLIS} restarts the silence clock instead of judging
     * it: nothing was asked of Redis while the process stood still (at a million streams a full
     * collection takes seconds), and the connection was replaced and backfilled for nothing. A
     * Redis that died meanwhile is still found 2.5 s and 10 s later.
     */
    private void ping() {
        long now = System.nanoTime();
        boolean late = now - lastPingNanos > TimeUnit.MILLISECONDS.toNanos(PING_EVERY_MILLIS + LATE_AFTER_MILLIS);
        lastPingNanos = now;
        if (late) {
            lastHeardNanos = now;
        }
        PubSub ps;
        Jedis c;
        synchronized (this) {
            if (!connected) {
                return;
            }
            ps = pubsub;
            c = connection;
        }
        if (silentFor(DEAD_AFTER_MILLIS)) {
            LOG.log(Level.WARNING, "redis subscriber connection silent for {0} ms; reconnecting", DEAD_AFTER_MILLIS);
            c.disconnect();
            return;
        }
        try {
            ps.ping();
        } catch (RuntimeException e) {
            c.disconnect();
        }
    }

    /** Callbacks of one connection, all on the subscriber thread. */
    private final class PubSub extends BinaryJedisPubSub {
        /** The subscriptions sent with the connection's first SUBSCRIBE; null once live. */
        List<TopicSubscription> handshake;
        int handshakeLeft;
        List<Event> heldDuringHandshake = new ArrayList<>();

        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            if (handshake != null) {
                boolean done;
                synchronized (RedisSubscriber.this) {
                    done = --handshakeLeft == 0;
                }
                if (done) {
                    finishHandshake(this);
                }
                return;
            }
            String topic = RedisKeys.topicOfChannel(channel);
            TopicSubscription sub = null;
            synchronized (RedisSubscriber.this) {
                ArrayDeque<TopicSubscription> queue = topic == null ? null : awaiting.get(topic);
                if (queue != null) {
                    sub = queue.poll();
                }
            }
            if (sub != null && wanted.get(topic) == sub) {
                sub.lastSeq = -1;
                sub.confirmed.complete(null);
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            lastHeardNanos = System.nanoTime();
            String topic = RedisKeys.topicOfChannel(channel);
            Event event = topic == null ? null : LiveMessage.parse(topic, message);
            if (event == null) {
                return;
            }
            if (handshake != null) {
                heldDuringHandshake.add(event);
            } else {
                whileDelivering(() -> delivery.onLive(event));
            }
        }

        @Override
        public void onPong(byte[] pattern) {
            lastHeardNanos = System.nanoTime();
        }
    }
}
