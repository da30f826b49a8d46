package io.ssegateway.broker.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerObserver;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.EventSink;
import io.ssegateway.broker.Replay;
import io.ssegateway.config.HistorySettings;
import io.ssegateway.config.NatsSettings;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The broker of many nodes on NATS JetStream: one stream holds every topic (subject per topic,
 * {@link Subjects}); its sequence is the ids' seq and its creation time their epoch; its
 * per-subject message limit and maximum age are the history bounds ({@link StreamSetup}).
 * Publishing is {@link NatsPublisher}, replay {@link NatsHistory}, live delivery the node's one
 * ordered consumer ({@link NatsSubscriber}). One connection serves all three.
 */
public final class NatsBroker implements Broker {
    private static final System.Logger LOG = System.getLogger(NatsBroker.class.getName());
    /** How long start-up waits for a first connection before going on without one (not ready). */
    private static final long FIRST_CONNECT_SECONDS = 5;

    private final NatsSettings settings;
    private final HistorySettings history;
    private final BrokerObserver metrics;
    private final Subjects subjects;
    private final StreamSetup setup;
    private final StreamEpoch epoch = new StreamEpoch();
    private final CompletableFuture<Connection> connected = new CompletableFuture<>();
    /** The client's connection as soon as any callback names it, even before it ever connected: close() closes it. */
    private final AtomicReference<Connection> client = new AtomicReference<>();
    private volatile NatsSubscriber subscriber;
    private volatile NatsPublisher publisher;
    private volatile NatsHistory replays;

    public NatsBroker(NatsSettings settings, HistorySettings history, BrokerObserver metrics) {
        this.settings = settings;
        this.history = history;
        this.metrics = metrics;
        this.subjects = new Subjects(settings.stream());
        this.setup = new StreamSetup(settings.stream(), subjects, history.maxEvents(), history.maxAge(), settings.replicas());
        metrics.brokerConnected(false);
        Options options = NatsOptions.build(settings, "sse-gateway pid " + ProcessHandle.current().pid(),
            this::connectionEvent, new QuietErrors(client));
        try {
            Nats.connectAsynchronously(options, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
    }

    private void connectionEvent(Connection c, ConnectionListener.Events type) {
        client.compareAndSet(null, c);
        switch (type) {
            case CONNECTED -> connected.complete(c);
            case RECONNECTED -> {
                // A client whose first attempt failed reports its first connection as a reconnection.
                connected.complete(c);
                metrics.brokerReconnected();
                NatsSubscriber s = subscriber;
                if (s != null) {
                    s.reconnected();
                }
            }
            case DISCONNECTED, CLOSED -> {
                NatsSubscriber s = subscriber;
                if (s != null) {
                    s.connectionLost();
                }
            }
            default -> {
            }
        }
    }

    /**
     * Connects (waiting up to 5 s), checks or creates the stream, and starts delivery. A stream
     * with a conflicting configuration stops start-up; a NATS that is not there yet does not:
     * the node starts unready and connects when it can.
     */
    @Override
    public void start(EventSink sink) {
        subscriber = new NatsSubscriber(setup, subjects, epoch, sink, metrics);
        Connection c;
        try {
            c = connected.get(FIRST_CONNECT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, "no NATS server answered at {0} within {1} s; starting unready and still trying",
                settings.urls(), FIRST_CONNECT_SECONDS);
            var unused = connected.thenAccept(this::use);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("NATS connection failed", e.getCause());
        }
        try {
            setup.ensure(c.jetStreamManagement());
        } catch (IOException | JetStreamApiException e) {
            LOG.log(Level.WARNING, "NATS JetStream not usable yet ({0}); still trying", e.getMessage());
        }
        use(c);
    }

    private void use(Connection c) {
        try {
            JetStreamOptions jso = JetStreamOptions.builder().requestTimeout(NatsOptions.REQUEST_TIMEOUT).build();
            publisher = new NatsPublisher(c.jetStream(jso), c.jetStreamManagement(jso), settings.stream(), subjects, epoch);
            replays = new NatsHistory(c.jetStream(jso), c.jetStreamManagement(jso), settings.stream(), subjects,
                history.maxEvents());
        } catch (IOException e) {
            throw new IllegalStateException("NATS JetStream context: " + e.getMessage(), e);
        }
        subscriber.start(c);
    }

    @Override
    public Event publish(String topic, String type, String data, String idempotencyKey) throws BrokerUnavailableException {
        NatsPublisher p = publisher;
        if (p == null) {
            throw new BrokerUnavailableException("nats: not connected yet to " + settings.urls());
        }
        return p.publish(topic, type, data, idempotencyKey);
    }

    @Override
    public Replay replay(Collection<String> topics, EventId after, int maxBytes) throws BrokerUnavailableException {
        NatsHistory h = replays;
        if (h == null) {
            throw new BrokerUnavailableException("nats: not connected yet to " + settings.urls());
        }
        return h.replay(topics, after, maxBytes);
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
        NatsSubscriber s = subscriber;
        return s != null && s.isLive();
    }

    @Override
    public void close() {
        NatsSubscriber s = subscriber;
        if (s != null) {
            s.close();
        }
        Connection c = client.get();
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "nats " + String.join(",", settings.urls()) + " stream " + settings.stream() + " (R" + settings.replicas() + ")";
    }

    /** jnats reports through this listener; the connection's state reaches readiness and metrics instead. */
    private record QuietErrors(AtomicReference<Connection> client) implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            client.compareAndSet(null, conn);
            LOG.log(Level.DEBUG, "nats: {0}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            client.compareAndSet(null, conn);
            LOG.log(Level.DEBUG, "nats: {0}", exp.toString());
        }
    }
}
