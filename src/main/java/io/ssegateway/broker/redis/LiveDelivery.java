package io.ssegateway.broker.redis;

import io.ssegateway.broker.EventSink;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a node's Redis events to the hub in id order, each once: owns each wanted topic's
 * progress ({@link TopicSubscription#lastSeq}) and the last epoch seen. After a reconnection it
 * backfills from one consistent history snapshot; a trimmed history or a restarted sequence
 * becomes a {@code gap} event. Used by the subscriber thread alone.
 */
final class LiveDelivery {
    private static final System.Logger LOG = System.getLogger(LiveDelivery.class.getName());

    private final RedisConnections connections;
    private final EventSink sink;
    private final Map<String, TopicSubscription> wanted;
    private final long historyMaxAgeMillis;
    private String epoch;

    LiveDelivery(RedisConnections connections, EventSink sink, Map<String, TopicSubscription> wanted,
                 long historyMaxAgeMillis) {
        this.connections = connections;
        this.sink = sink;
        this.wanted = wanted;
        this.historyMaxAgeMillis = historyMaxAgeMillis;
    }

    /** Delivers what the wanted topics missed while disconnected, from one consistent snapshot. */
    void backfill(List<TopicSubscription> subs) {
        Map<String, Long> after = new HashMap<>();
        for (TopicSubscription sub : subs) {
            if (sub.lastSeq >= 0) {
                after.put(sub.topic, sub.lastSeq);
            }
        }
        if (after.isEmpty()) {
            return;
        }
        HistorySnapshot snapshot = HistorySnapshot.read(connections.commands(), after, historyMaxAgeMillis);
        if (epoch != null && snapshot.epoch() != null && !epoch.equals(snapshot.epoch())) {
            restartSequence(snapshot.epoch());
            after.replaceAll((topic, seq) -> 0L);
            snapshot = HistorySnapshot.read(connections.commands(), after, historyMaxAgeMillis);
        } else {
            List<String> trimmed = new ArrayList<>();
            for (TopicSubscription sub : subs) {
                Long upTo = snapshot.trimmedUpTo().get(sub.topic);
                if (upTo != null && upTo > sub.lastSeq) {
                    trimmed.add(sub.topic);
                }
            }
            if (!trimmed.isEmpty()) {
                sink.gap(trimmed, Replay.Gap.HISTORY_TRIMMED, null);
            }
        }
        if (snapshot.epoch() != null) {
            epoch = snapshot.epoch();
        }
        for (Event e : snapshot.events()) {
            onLive(e);
        }
    }

    /** The sequence restarted (Redis lost its data): every stream is told, then new ids flow. */
    private void restartSequence(String newEpoch) {
        LOG.log(Level.WARNING, "redis sequence restarted (epoch {0} -> {1}): Redis lost its data; streams get a gap event",
            epoch, newEpoch);
        sink.gap(List.copyOf(wanted.keySet()), Replay.Gap.EPOCH_CHANGED, new EventId(newEpoch, 0));
        for (TopicSubscription sub : wanted.values()) {
            sub.lastSeq = -1;
        }
        epoch = newEpoch;
    }

    void onLive(Event event) {
        TopicSubscription sub = wanted.get(event.topic());
        if (sub == null) {
            return;
        }
        if (epoch != null && !epoch.equals(event.id().epoch())) {
            restartSequence(event.id().epoch());
        }
        epoch = event.id().epoch();
        if (event.seq() <= sub.lastSeq) {
            return; // already delivered by a backfill
        }
        sub.lastSeq = event.seq();
        sink.deliver(event);
    }
}
