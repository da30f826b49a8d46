package io.ssegateway.mercure;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.WireFormat;

/**
 * How the Mercure door's streams, which read the Mercure log topic, frame each update: with its
 * own id (the publisher's, or the hub's {@code #<epoch>-<seq>}), type, {@code retry:} and data, as
 * the Mercure protocol sends them.
 */
final class MercureFormat implements WireFormat {
    static final MercureFormat INSTANCE = new MercureFormat();

    private MercureFormat() {
    }

    @Override
    public byte[] encode(Event event) {
        return MercureUpdate.of(event).frame(event.id());
    }

    /** A broker id as the hub's own id, {@code #<epoch>-<seq>} (a fragment, which no publisher-chosen id can be). */
    @Override
    public String idText(EventId id) {
        return MercureUpdate.hubId(id);
    }

    @Override
    public String toString() {
        return "mercure";
    }
}
