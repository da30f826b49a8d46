package io.ssegateway.broker.nats;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stores events in the stream. Each message carries {@link NatsEvents#PREVIOUS}, the topic's
 * last sequence, made true by {@code Nats-Expected-Last-Subject-Sequence}: the server stores the
 * message only if that is still the topic's last, and otherwise names the real one, which the
 * next attempt uses. The last sequence of recently published topics is remembered, so a publish
 * is one round trip unless another node published to the same topic meanwhile. An idempotency key
 * becomes {@code Nats-Msg-Id} (scoped to the topic); a duplicate is answered with the event first
 * stored under it.
 */
final class NatsPublisher {
    /** JetStream's "wrong last sequence: N". */
    private static final int WRONG_LAST_SEQUENCE = 10071;
    private static final Pattern LAST = Pattern.compile("(\\d+)\\s*$");
    private static final int ATTEMPTS = 16;
    private static final int REMEMBERED_TOPICS = 10_000;

    private final JetStream js;
    private final JetStreamManagement jsm;
    private final String stream;
    private final Subjects subjects;
    private final StreamEpoch epoch;
    /** Subject → its last known sequence; least recently used forgotten first. */
    private final Map<String, Long> lastBySubject = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_TOPICS;
        }
    };

    NatsPublisher(JetStream js, JetStreamManagement jsm, String stream, Subjects subjects, StreamEpoch epoch) {
        this.js = js;
        this.jsm = jsm;
        this.stream = stream;
        this.subjects = subjects;
        this.epoch = epoch;
    }

    Event publish(String topic, String type, String data, String idempotencyKey) throws BrokerUnavailableException {
        String known = epoch.current();
        if (known == null) {
            throw new BrokerUnavailableException("nats: stream '" + stream + "' not read yet");
        }
        String subject = subjects.of(topic);
        byte[] body = data.getBytes(StandardCharsets.UTF_8);
        long previous = lastKnown(subject);
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Headers headers = new Headers()
                    .put("Nats-Expected-Stream", stream)
                    .put("Nats-Expected-Last-Subject-Sequence", Long.toString(previous))
                    .put(NatsEvents.PREVIOUS, Long.toString(previous));
                if (type != null) {
                    headers.put(NatsEvents.TYPE, type);
                }
                if (idempotencyKey != null) {
                    headers.put("Nats-Msg-Id", topic + " " + idempotencyKey);
                }
                PublishAck ack;
                try {
                    ack = js.publish(subject, headers, body);
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                        throw e; // answered below, with every other refusal
                    }
                    long actual = actualLast(e, subject);
                    if (actual < previous && !known.equals(StreamSetup.epochOf(jsm.getStreamInfo(stream)))) {
                        // The topic's last sequence went down (it also does when all its events
                        // expired, hence the check): the stream was recreated. Nothing was stored,
                        // and ids wait for the watch to read the new stream's epoch.
                        epoch.invalidate();
                        throw new BrokerUnavailableException("nats: stream '" + stream + "' was recreated", e, false);
                    }
                    previous = actual;
                    continue;
                }
                remember(subject, ack.getSeqno());
                if (ack.isDuplicate()) {
                    MessageInfo first = jsm.getMessage(stream, ack.getSeqno());
                    return NatsEvents.event(known, first.getSeq(), topic, first.getHeaders(), first.getData(), first.getTime());
                }
                EventId id = new EventId(known, ack.getSeqno());
                return new Event(id, topic, type, FrameEncoder.event(id, type, data), System.currentTimeMillis());
            }
        } catch (IOException e) {
            // A timeout: the server may have stored it. "No responders": nothing took it, and
            // the stream is gone: ids wait for the epoch of the stream the watch recreates.
            boolean noResponders = String.valueOf(e.getMessage()).contains("503");
            if (noResponders) {
                epoch.invalidate();
            }
            throw new BrokerUnavailableException("nats: " + e.getMessage(), e, !noResponders);
        } catch (IllegalStateException e) {
            // Disconnected, and publishes are never buffered (NatsOptions): not sent.
            throw new BrokerUnavailableException("nats: " + e.getMessage(), e, false);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == StreamSetup.STREAM_NOT_FOUND) {
                epoch.invalidate();
            }
            throw new BrokerUnavailableException("nats: " + e.getMessage(), e, false);
        }
        throw new BrokerUnavailableException("nats: topic '" + topic + "' changed under " + ATTEMPTS
            + " attempts in a row; try again");
    }

    private synchronized long lastKnown(String subject) {
        return lastBySubject.getOrDefault(subject, 0L);
    }

    private synchronized void remember(String subject, long seq) {
        lastBySubject.merge(subject, seq, Math::max);
    }

    /** The topic's real last sequence, from the server's refusal, or asked for if it did not say. */
    private long actualLast(JetStreamApiException e, String subject) throws IOException, JetStreamApiException {
        Matcher m = LAST.matcher(String.valueOf(e.getErrorDescription()));
        long last;
        if (m.find()) {
            last = Long.parseLong(m.group(1));
        } else {
            try {
                last = jsm.getLastMessage(stream, subject).getSeq();
            } catch (JetStreamApiException none) {
                last = 0;
            }
        }
        synchronized (this) {
            lastBySubject.put(subject, last);
        }
        return last;
    }
}
