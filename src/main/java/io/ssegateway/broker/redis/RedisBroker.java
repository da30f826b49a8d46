package io.ssegateway.broker.redis;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerObserver;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.EventSink;
import io.ssegateway.broker.Presence;
import io.ssegateway.broker.Replay;
import io.ssegateway.config.HistorySettings;
import io.ssegateway.config.RedisSettings;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The broker of many nodes: Redis holds the id counter, each topic's bounded history and the
 * live channels (layout in {@link RedisKeys}, scripts {@code publish.lua} and {@code replay.lua}).
 * Publishing and replay use a connection pool; live delivery comes from the one
 * {@link RedisSubscriber} thread of this node.
 */
public final class RedisBroker implements Broker {
    private final RedisConnections connections;
    /** Made on first use: only nodes with Mercure's subscription API renew one. */
    private RedisPresence presence;
    private final RedisPublisher publisher;
    private final BrokerObserver metrics;
    private final long historyMaxAgeMillis;
    private RedisSubscriber subscriber;

    public RedisBroker(RedisSettings redis, HistorySettings history, BrokerObserver metrics) {
        this.connections = RedisConnections.create(redis);
        this.publisher = new RedisPublisher(connections.commands(), history.maxEvents(), history.maxAge(),
            redis.replicasAck());
        this.metrics = metrics;
        this.historyMaxAgeMillis = history.maxAge().toMillis();
        metrics.brokerConnected(false);
    }

    @Override
    public void start(EventSink sink) {
        subscriber = new RedisSubscriber(connections, sink, metrics, historyMaxAgeMillis);
        subscriber.start();
    }

    @Override
    public Event publish(String topic, String type, String data, String idempotencyKey) throws BrokerUnavailableException {
        RedisPublisher.Published p;
        try {
            p = publisher.publish(topic, type, data, idempotencyKey);
        } catch (JedisConnectionException e) {
            // Refused before the script was sent: not stored. Anything later (a timeout): unknown.
            throw new BrokerUnavailableException("redis: " + e.getMessage(), e, !refused(e));
        } catch (JedisDataException e) {
            throw new BrokerUnavailableException("redis: " + e.getMessage(), e, false);
        } catch (JedisException e) {
            // The replicas did not confirm in time: the primary holds it.
            throw new BrokerUnavailableException("redis: " + e.getMessage(), e, true);
        }
        // The same bytes publish.lua stored and sent (a test keeps the two encoders identical).
        return new Event(p.id(), topic, type, FrameEncoder.event(p.id(), type, data), p.publishedAtMillis());
    }

    /** True if no connection could be made, so nothing was sent (Jedis keeps the reasons as suppressed). */
    private static boolean refused(Throwable e) {
        if (e == null) {
            return false;
        }
        if (e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException) {
            return true;
        }
        for (Throwable s : e.getSuppressed()) {
            if (refused(s)) {
                return true;
            }
        }
        return refused(e.getCause());
    }

    @Override
    public Replay replay(Collection<String> topics, EventId after, int maxBytes) throws BrokerUnavailableException {
        try {
            HistorySnapshot snapshot = read(topics, after.seq(), maxBytes);
            Replay.Gap gap = null;
            if (snapshot.epoch() == null) {
                // This Redis holds no sequence: it lost its data and nothing was published since.
                return new Replay(List.of(), Replay.Gap.EPOCH_CHANGED, null, false);
            }
            if (!snapshot.epoch().equals(after.epoch())) {
                gap = Replay.Gap.EPOCH_CHANGED;
            } else if (after.seq() > snapshot.head()) {
                gap = Replay.Gap.UNKNOWN_ID;
            }
            if (gap != null) {
                snapshot = read(topics, 0, maxBytes);
                return page(snapshot, maxBytes, gap, new EventId(snapshot.epoch(), 0));
            }
            boolean trimmed = snapshot.trimmedUpTo().values().stream().anyMatch(upTo -> upTo > after.seq());
            return page(snapshot, maxBytes, trimmed ? Replay.Gap.HISTORY_TRIMMED : null, null);
        } catch (JedisException e) {
            throw new BrokerUnavailableException("redis: " + e.getMessage(), e);
        }
    }

    private static Replay page(HistorySnapshot snapshot, int maxBytes, Replay.Gap gap, EventId restart) {
        return Replay.page(snapshot.events(), maxBytes, gap, restart, snapshot.horizon() != Long.MAX_VALUE);
    }

    private HistorySnapshot read(Collection<String> topics, long afterSeq, int maxBytes) {
        Map<String, Long> after = new LinkedHashMap<>();
        for (String topic : topics) {
            after.put(topic, afterSeq);
        }
        return HistorySnapshot.read(connections.commands(), after, historyMaxAgeMillis, maxBytes);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topic) {
        return subscriber.subscribe(topic);
    }

    @Override
    public void unsubscribe(String topic) {
        subscriber.unsubscribe(topic);
    }

    @Override
    public boolean isAvailable() {
        return subscriber != null && subscriber.isConnected();
    }

    @Override
    public synchronized Presence presence() {
        if (presence == null) {
            presence = new RedisPresence(connections.commands());
        }
        return presence;
    }

    @Override
    public void close() {
        if (subscriber != null) {
            subscriber.close();
        }
        synchronized (this) {
            if (presence != null) {
                presence.close();
            }
        }
        connections.close();
    }

    @Override
    public String toString() {
        return "RedisBroker{" + connections + "}";
    }
}
