package io.ssegateway.broker.redis;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * One consistent read of several topics' histories, taken by {@code replay.lua}: every event is
 * either in it or published after it. Used for resuming streams and for the subscriber's
 * backfill after a reconnect.
 *
 * @param epoch       the current epoch, or null if this Redis holds no sequence (new or lost data)
 * @param head        the last seq assigned
 * @param trimmedUpTo per topic, the highest seq that topic no longer holds
 * @param events      the retained events after the requested seqs, in id order
 * @param horizon     with a page budget: the highest seq up to which {@code events} is complete for
 *                    every topic ({@code Long.MAX_VALUE} when every topic was read to its end)
 */
record HistorySnapshot(String epoch, long head, Map<String, Long> trimmedUpTo, List<Event> events, long horizon) {
    private static final RedisScript REPLAY = RedisScript.load("replay.lua");

    /** Reads all the events of each topic after its seq ({@code after.get(topic)}). */
    static HistorySnapshot read(UnifiedJedis redis, Map<String, Long> after, long maxAgeMillis) {
        return read(redis, after, maxAgeMillis, 0);
    }

    /**
     * Reads the events of each topic after its seq, stopping each topic once it has
     * {@code budgetBytes} of frames (0: no limit); see {@link #horizon()}.
     */
    static HistorySnapshot read(UnifiedJedis redis, Map<String, Long> after, long maxAgeMillis, int budgetBytes) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> args = new ArrayList<>();
        keys.add(RedisKeys.bytes(RedisKeys.SEQ));
        keys.add(RedisKeys.bytes(RedisKeys.EPOCH));
        keys.add(RedisKeys.bytes(RedisKeys.SEQ_BY_TIME));
        args.add(RedisKeys.bytes(Long.toString(maxAgeMillis)));
        args.add(RedisKeys.bytes(Integer.toString(budgetBytes)));
        List<String> topics = new ArrayList<>(after.keySet());
        for (String topic : topics) {
            keys.add(RedisKeys.bytes(RedisKeys.history(topic)));
            args.add(RedisKeys.bytes(Long.toString(Math.max(0, after.get(topic)))));
        }
        List<?> reply = (List<?>) REPLAY.run(redis, keys, args);
        String epoch = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
        long head = (Long) reply.get(1);
        Map<String, Long> trimmed = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        long horizon = Long.MAX_VALUE;
        for (int i = 0; i < topics.size(); i++) {
            String topic = topics.get(i);
            List<?> entries = (List<?>) reply.get(2 + i);
            trimmed.put(topic, (Long) entries.get(0));
            long topicHorizon = (Long) entries.get(1);
            if (topicHorizon > 0) {
                horizon = Math.min(horizon, topicHorizon);
            }
            for (int j = 2; j + 2 < entries.size(); j += 3) {
                long seq = (Long) entries.get(j);
                byte[] frame = (byte[]) entries.get(j + 1);
                long time = (Long) entries.get(j + 2);
                // The frame was encoded by publish.lua; the type is only needed on the wire, where it already is.
                events.add(new Event(new EventId(epoch, seq), topic, null, frame, time));
            }
        }
        events.sort(Comparator.comparingLong(Event::seq));
        if (horizon != Long.MAX_VALUE) {
            // Beyond the horizon some topic was not read: those events belong to a later page.
            long cut = horizon;
            events.removeIf(e -> e.seq() > cut);
        }
        return new HistorySnapshot(epoch.isEmpty() ? null : epoch, head, trimmed, events, horizon);
    }
}
