package io.ssegateway.mercure;

import io.ssegateway.broker.Broker;
import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.MercureUpdate;
import java.util.List;

/**
 * Turns the id a Mercure subscriber resumes from ({@code Last-Event-ID} or {@code last_event_id})
 * into where its stream starts in the broker's log, and the {@code Mercure-Last-Event-ID} it is told:
 * <ul>
 *   <li>{@code earliest}: everything retained; told {@code earliest}.</li>
 *   <li>a hub id ({@code #<epoch>-<seq>}) or a publisher's id: after that update; told the id, or
 *       {@code earliest} if updates after it were discarded (the stream's in-band {@code gap}
 *       event says which).</li>
 *   <li>an id the history does not hold: everything retained, after an in-band {@code gap} event
 *       {@code unknown-id}; told {@code earliest}.</li>
 * </ul>
 * A publisher's id is looked up among the ids this node saw lately, else searched for in the
 * retained log page by page (a reused id resolves to its earliest update).
 */
final class Reconciliation {
    static final String EARLIEST = "earliest";
    /** An id of no epoch the broker ever had: a replay from it answers the current epoch's start. */
    private static final EventId NO_EPOCH = new EventId("0", 0);
    private static final List<String> LOG = List.of(MercureUpdate.LOG_TOPIC);
    private static final int SCAN_PAGE_BYTES = 256 * 1024;

    /**
     * Where a resuming stream starts.
     *
     * @param after  the broker id its replay starts after
     * @param header the {@code Mercure-Last-Event-ID} value
     */
    record Resume(EventId after, String header) {
    }

    private final Broker broker;
    private final RecentIds recent;

    Reconciliation(Broker broker, RecentIds recent) {
        this.broker = broker;
        this.recent = recent;
    }

    Resume resolve(String requested) throws BrokerUnavailableException {
        if (EARLIEST.equals(requested)) {
            return new Resume(start(), EARLIEST);
        }
        EventId known = MercureUpdate.brokerIdOf(requested);
        if (known == null) {
            known = recent.find(requested);
        }
        if (known != null) {
            Replay probe = broker.replay(LOG, known, 1);
            return new Resume(known, probe.gap() == null ? requested : EARLIEST);
        }
        return search(requested);
    }

    /** The broker id before the log's first update: {@code <epoch>-0}. */
    private EventId start() throws BrokerUnavailableException {
        return broker.replay(LOG, NO_EPOCH, 1).restart();
    }

    private Resume search(String requested) throws BrokerUnavailableException {
        Replay page = broker.replay(LOG, NO_EPOCH, SCAN_PAGE_BYTES);
        EventId epochStart = page.restart();
        while (true) {
            for (Event e : page.events()) {
                String id = idOf(e);
                // Every id read is noted: after a restart, the first resume's search serves the next ones.
                recent.seen(id, e.id());
                if (requested.equals(id)) {
                    return new Resume(e.id(), requested);
                }
            }
            if (!page.more() || page.through() == null) {
                break;
            }
            page = broker.replay(LOG, page.through(), SCAN_PAGE_BYTES);
        }
        // Beyond anything issued in this epoch: the broker answers unknown-id and the whole retained log.
        return new Resume(new EventId(epochStart.epoch(), Long.MAX_VALUE), EARLIEST);
    }

    private static String idOf(Event e) {
        try {
            return e.mercure().id();
        } catch (IllegalArgumentException notAnUpdate) {
            return null;
        }
    }
}
