package io.ssegateway.hub;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.EventSink;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Which local streams want which topic, and the fan-out of each event to them.
 *
 * <p>The hub tells the broker when a topic gains its first local stream and loses its last, so
 * a node only receives the topics its clients want. Registration and removal of one topic are
 * serialized by {@link ConcurrentHashMap#compute}, so subscribe and unsubscribe reach the broker
 * in the order interest came and went.
 *
 * <p>{@link #deliver} runs on the broker's thread and only offers frames to streams' queues;
 * it never writes to a socket and never blocks.
 */
public final class Hub<S extends Subscriber> implements EventSink {
    private final Broker broker;
    private final HubObserver metrics;
    private final Function<String, Router<S>> routers;
    private final Map<String, TopicEntry<S>> topics = new ConcurrentHashMap<>();
    /** Events and gap signals handed to streams so far, on any topic; see {@link #handedOut()}. */
    private final AtomicLong handedOut = new AtomicLong();

    /** The streams of one topic and the broker's subscription for it. */
    private record TopicEntry<S extends Subscriber>(Router<S> streams, CompletableFuture<Void> subscribed) {
    }

    /** A hub whose topics all give every event to every stream. */
    public Hub(Broker broker, HubObserver metrics) {
        this(broker, metrics, topic -> new Router.Broadcast<>());
    }

    /** A hub whose topics' streams are chosen by the router {@code routers} makes for each topic. */
    public Hub(Broker broker, HubObserver metrics, Function<String, Router<S>> routers) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.routers = Objects.requireNonNull(routers, "routers");
    }

    /**
     * Adds a stream to its topics. The returned future completes when the broker delivers every
     * one of those topics live; only then may the stream take its replay snapshot.
     */
    public CompletableFuture<Void> register(S stream) {
        List<CompletableFuture<Void>> subscriptions = new ArrayList<>();
        for (String topic : stream.topics()) {
            TopicEntry<S> entry = topics.compute(topic, (t, existing) -> {
                TopicEntry<S> e = existing != null ? existing
                    : new TopicEntry<>(routers.apply(t), broker.subscribe(t));
                e.streams().add(stream);
                return e;
            });
            subscriptions.add(entry.subscribed());
        }
        return CompletableFuture.allOf(subscriptions.toArray(CompletableFuture[]::new));
    }

    /** Removes a stream from its topics; idempotent (a topic it is not in is left alone). */
    public void unregister(S stream) {
        for (String topic : stream.topics()) {
            topics.computeIfPresent(topic, (t, entry) -> {
                if (entry.streams().remove(stream)) {
                    broker.unsubscribe(t);
                    return null;
                }
                return entry;
            });
        }
    }

    /**
     * How many events and gap signals the hub has handed to streams, on any topic. Counted before
     * each is handed out: a stream that registered and then reads the same count knows that
     * nothing was handed out between the moment the count was that and its registration, so
     * a history read taken in that time is as good as one taken now ({@code SharedReplays}).
     */
    public long handedOut() {
        return handedOut.get();
    }

    @Override
    public void deliver(Event event) {
        handedOut.incrementAndGet();
        TopicEntry<S> entry = topics.get(event.topic());
        if (entry == null) {
            return;
        }
        metrics.framesDelivered(entry.streams().route(event, stream -> stream.offer(event)));
    }

    /** Offers a live {@code gap} event once to every stream of {@code topics}. */
    @Override
    public void gap(Collection<String> gapTopics, Replay.Gap gap, EventId restart) {
        handedOut.incrementAndGet();
        Set<S> told = new HashSet<>();
        for (String topic : gapTopics) {
            TopicEntry<S> entry = topics.get(topic);
            if (entry != null) {
                entry.streams().forEach(stream -> {
                    if (told.add(stream)) {
                        stream.offerGap(gap.wireName(), restart);
                    }
                });
            }
        }
        if (!told.isEmpty()) {
            metrics.gapSignalled(gap.wireName());
        }
    }
}
