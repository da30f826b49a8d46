package io.ssegateway.mercure;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.List;

/**
 * Turns the id a Mercure subscriber resumes from ({@code Last-Event-ID} or {@code last_event_id})
 * into the broker id its stream's history starts after:
 * <ul>
 *   <li>{@code earliest}: the log's start, {@code <epoch>-0}: everything retained.</li>
 *   <li>a hub id ({@code #<epoch>-<seq>}): that broker id, as it is.</li>
 *   <li>a publisher's id: the broker id of its update, from the ids this node saw lately, else
 *       searched for in the retained log page by page (a reused id resolves to its earliest update).</li>
 *   <li>an id the history does not hold: {@code <epoch>-<MAX>}, which every broker answers with an
 *       {@code unknown-id} gap and the whole retained log.</li>
 * </ul>
 * Whether the history after the id is complete is not asked here: the stream's own first read says
 * so ({@link io.ssegateway.stream.ResumeHeaders}).
 */
final class Reconciliation {
    static final String EARLIEST = "earliest";
    /** An id of no epoch the broker ever had: a replay from it answers the current epoch's start. */
    private static final EventId NO_EPOCH = new EventId("0", 0);
    private static final List<String> LOG = List.of(MercureUpdate.LOG_TOPIC);
    private static final int SCAN_PAGE_BYTES = 256 * 1024;

    private final Broker broker;
    private final RecentIds recent;

    Reconciliation(Broker broker, RecentIds recent) {
        this.broker = broker;
        this.recent = recent;
    }

    EventId resolve(String requested) throws BrokerUnavailableException {
        if (EARLIEST.equals(requested)) {
            return broker.replay(LOG, NO_EPOCH, 1).restart();
        }
        EventId known = MercureUpdate.brokerIdOf(requested);
        if (known == null) {
            known = recent.find(requested);
        }
        return known != null ? known : search(requested);
    }

    private EventId search(String requested) throws BrokerUnavailableException {
        Replay page = broker.replay(LOG, NO_EPOCH, SCAN_PAGE_BYTES);
        EventId epochStart = page.restart();
        while (true) {
            for (Event e : page.events()) {
                String id = idOf(e);
                // Every id read is noted: after a restart, the first resume's search serves the next ones.
                recent.seen(id, e.id());
                if (requested.equals(id)) {
                    return e.id();
                }
            }
            if (!page.more() || page.through() == null) {
                break;
            }
            page = broker.replay(LOG, page.through(), SCAN_PAGE_BYTES);
        }
        return new EventId(epochStart.epoch(), Long.MAX_VALUE);
    }

    private static String idOf(Event e) {
        try {
            return MercureUpdate.of(e).id();
        } catch (IllegalArgumentException notAnUpdate) {
            return null;
        }
    }
}
