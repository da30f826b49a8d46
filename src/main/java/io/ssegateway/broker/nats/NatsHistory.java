package io.ssegateway.broker.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replays from the stream. Server 2.9 has no consumer filtered on several subjects, so each topic
 * is read on its own ("next message of this subject after seq", from the stream leader) and the
 * topics are merged by sequence. Consistency comes from the head: every read stops at the last
 * sequence of the stream info taken first, so the replay holds exactly the retained events up to
 * that point and everything later is live (the stream subscribed before it asked).
 *
 * <p>Whether a topic lost events after the resume point {@code a}: its first retained event after
 * {@code a} is {@code F}. Nothing is missing if {@code F = a + 1}. If {@code F} carries
 * {@link NatsEvents#PREVIOUS} {@code p}, events are missing exactly when {@code p > a}; with
 * {@code p = 0} (the topic was empty when {@code F} was stored) or no {@code F}, only expiry can
 * have removed them, and expiry removes a prefix of the stream: missing is possible only if the
 * stream's first sequence is past {@code a + 1}. A message without the header (a publisher outside
 * the gateway) also counts the topic's message limit: a full topic may have lost some.
 */
final class NatsHistory {
    /** JetStream's "no message found". */
    private static final int NO_MESSAGE = 10037;

    private final JetStreamManagement jsm;
    private final String stream;
    private final Subjects subjects;
    private final int maxEventsPerTopic;

    NatsHistory(JetStreamManagement jsm, String stream, Subjects subjects, int maxEventsPerTopic) {
        this.jsm = jsm;
        this.stream = stream;
        this.subjects = subjects;
        this.maxEventsPerTopic = maxEventsPerTopic;
    }

    Replay replay(Collection<String> topics, EventId after, int maxBytes) throws BrokerUnavailableException {
        try {
            StreamInfo info = jsm.getStreamInfo(stream);
            String epoch = StreamSetup.epochOf(info);
            long head = info.getStreamState().getLastSequence();
            Replay.Gap restartGap = !epoch.equals(after.epoch()) ? Replay.Gap.EPOCH_CHANGED
                : after.seq() > head ? Replay.Gap.UNKNOWN_ID : null;
            if (restartGap != null) {
                Page page = read(epoch, topics, 0, head, maxBytes);
                return Replay.page(page.events, maxBytes, restartGap, new EventId(epoch, 0), page.cut);
            }
            Page page = read(epoch, topics, after.seq(), head, maxBytes);
            boolean trimmed = false;
            for (String topic : topics) {
                if (lostAfter(topic, after.seq(), page.firstOf(topic), info.getStreamState().getFirstSequence())) {
                    trimmed = true;
                    break;
                }
            }
            return Replay.page(page.events, maxBytes, trimmed ? Replay.Gap.HISTORY_TRIMMED : null, null, page.cut);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw new BrokerUnavailableException("nats: " + e.getMessage(), e);
        }
    }

    private boolean lostAfter(String topic, long a, MessageInfo first, long streamFirstSeq)
        throws IOException, JetStreamApiException {
        if (first != null && first.getSeq() == a + 1) {
            return false;
        }
        long previous = first == null ? -1 : NatsEvents.previous(first.getHeaders());
        if (previous > 0) {
            return previous > a;
        }
        boolean expiredPastA = streamFirstSeq > a + 1;
        if (previous == 0 || first == null || expiredPastA) {
            return expiredPastA;
        }
        // Stored without the header: a topic at its limit may have dropped events after a.
        StreamInfo counted = jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(subjects.of(topic)));
        Long count = counted.getStreamState().getSubjectMap().get(subjects.of(topic));
        return count != null && count >= maxEventsPerTopic;
    }

    /**
     * Reads each topic's events in (after, head], each topic until it has {@code budget} bytes,
     * and cuts the merge where a topic stopped early, so the page is complete up to its end.
     */
    private Page read(String epoch, Collection<String> topics, long after, long head, int budget)
        throws IOException, JetStreamApiException {
        List<Event> events = new ArrayList<>();
        List<MessageInfo> firsts = new ArrayList<>();
        List<String> order = new ArrayList<>();
        long horizon = Long.MAX_VALUE;
        for (String topic : topics) {
            String subject = subjects.of(topic);
            int bytes = 0;
            long seq = after;
            MessageInfo first = null;
            while (seq < head) {
                MessageInfo m = next(seq + 1, subject);
                if (m == null || m.getSeq() > head) {
                    break;
                }
                first = first == null ? m : first;
                Event e = NatsEvents.event(epoch, m.getSeq(), topic, m.getHeaders(), m.getData(), m.getTime());
                events.add(e);
                bytes += e.frame().length;
                seq = m.getSeq();
                if (bytes >= budget && seq < head) {
                    horizon = Math.min(horizon, seq);
                    break;
                }
            }
            order.add(topic);
            firsts.add(first);
        }
        events.sort(Comparator.comparingLong(Event::seq));
        boolean cut = horizon != Long.MAX_VALUE;
        if (cut) {
            long h = horizon;
            events.removeIf(e -> e.seq() > h);
        }
        return new Page(events, cut, order, firsts);
    }

    private MessageInfo next(long fromSeq, String subject) throws IOException, JetStreamApiException {
        try {
            return jsm.getNextMessage(stream, fromSeq, subject);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE) {
                return null;
            }
            throw e;
        }
    }

    /** A merged read: events in id order; {@code cut} if some topic holds more after them. */
    private record Page(List<Event> events, boolean cut, List<String> topics, List<MessageInfo> firsts) {
        MessageInfo firstOf(String topic) {
            return firsts.get(topics.indexOf(topic));
        }
    }
}
