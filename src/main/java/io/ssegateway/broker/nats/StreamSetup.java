package io.ssegateway.broker.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The JetStream stream the gateway needs: subjects {@code <stream>.*}, limits retention with the
 * history bounds as per-subject message limit and maximum age, file storage, the configured
 * replicas, a duplicate window as long as the history (idempotency keys last as long as the
 * event), and no direct get (replays read from the leader, which holds every acknowledged event).
 * Creates it when missing; refuses one whose configuration differs, naming each difference.
 */
final class StreamSetup {
    /** JetStream's "stream not found". */
    static final int STREAM_NOT_FOUND = 10059;
    private final StreamConfiguration wanted;

    StreamSetup(String stream, Subjects subjects, int maxEventsPerTopic, Duration maxAge, int replicas) {
        wanted = StreamConfiguration.builder()
            .name(stream)
            .description("sse-gateway events; topic subjects are percent-encoded")
            .subjects(subjects.filter())
            .retentionPolicy(RetentionPolicy.Limits)
            .discardPolicy(DiscardPolicy.Old)
            .storageType(StorageType.File)
            .replicas(replicas)
            .maxMessagesPerSubject(maxEventsPerTopic)
            .maxAge(maxAge)
            .duplicateWindow(maxAge)
            .allowDirect(false)
            .build();
    }

    String streamName() {
        return wanted.getName();
    }

    /**
     * The stream's info, after creating the stream if it does not exist.
     *
     * @throws StreamConflictException if the stream exists with a configuration the gateway cannot use
     */
    StreamInfo ensure(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(wanted.getName());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            // Several nodes may race here: creating an identical stream twice is not an error.
            return jsm.addStream(wanted);
        }
        List<String> differences = differences(info.getConfiguration());
        if (!differences.isEmpty()) {
            throw new StreamConflictException("JetStream stream '" + wanted.getName() + "' exists with a configuration the"
                + " gateway cannot use: " + String.join("; ", differences) + ". Change the stream (nats stream edit "
                + wanted.getName() + ") or the gateway's settings, or give the gateway another stream with nats-stream.");
        }
        return info;
    }

    private List<String> differences(StreamConfiguration have) {
        List<String> out = new ArrayList<>();
        differ(out, "subjects", have.getSubjects(), wanted.getSubjects(), "");
        differ(out, "retention", have.getRetentionPolicy(), wanted.getRetentionPolicy(), "");
        differ(out, "discard", have.getDiscardPolicy(), wanted.getDiscardPolicy(), "");
        differ(out, "storage", have.getStorageType(), wanted.getStorageType(), " (memory storage loses acknowledged events)");
        differ(out, "replicas", have.getReplicas(), wanted.getReplicas(), " (nats-replicas)");
        differ(out, "max_msgs_per_subject", have.getMaxMsgsPerSubject(), wanted.getMaxMsgsPerSubject(), " (history-max-events)");
        differ(out, "max_age", have.getMaxAge(), wanted.getMaxAge(), " (history-max-age)");
        differ(out, "duplicate_window", have.getDuplicateWindow(), wanted.getDuplicateWindow(), " (history-max-age)");
        differ(out, "allow_direct", have.getAllowDirect(), wanted.getAllowDirect(), " (replicas may lag the leader)");
        return out;
    }

    private static void differ(List<String> out, String field, Object have, Object want, String why) {
        if (!Objects.equals(have, want)) {
            out.add(field + " is " + show(have) + ", the gateway needs " + show(want) + why);
        }
    }

    /** Durations as the settings write them (1h, 90s, 250ms); 0 is JetStream's "no limit". */
    private static String show(Object value) {
        if (!(value instanceof Duration d)) {
            return String.valueOf(value);
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0 (no limit)";
        }
        return ms % 3_600_000 == 0 ? ms / 3_600_000 + "h" : ms % 60_000 == 0 ? ms / 60_000 + "m"
            : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * The epoch of the stream's ids: its creation time in nanoseconds, base 36. A deleted and
     * recreated stream restarts its sequence and has a new epoch; every node reads the same one.
     */
    static String epochOf(StreamInfo info) {
        Instant created = info.getCreateTime().toInstant();
        return Long.toString(created.getEpochSecond() * 1_000_000_000L + created.getNano(), 36);
    }

    /** The stream exists with a configuration the gateway cannot use; start-up stops with the message. */
    static final class StreamConflictException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        StreamConflictException(String message) {
            super(message);
        }
    }
}
