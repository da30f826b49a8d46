package io.ssegateway.event;

/**
 * How a stream's events are framed, chosen per stream with {@code envelope=}.
 * <ul>
 *   <li>{@link #PLAIN}: the data as published, in {@code data:} lines.</li>
 *   <li>{@link #JSON_ENVELOPE} ({@code envelope=json}): one {@code data:} line holding
 *       {@code {"topic":"…","data":"…"}}, so one stream of many topics tells each event's topic.
 *       {@code id:} and {@code event:} are the same as in the plain frame, so Last-Event-ID and
 *       {@code addEventListener(type)} work unchanged. The data is what an EventSource would have
 *       received plainly (line breaks as {@code \n}).</li>
 *   <li>{@link #MERCURE}: for streams of the Mercure door, which read the Mercure log topic: each
 *       update with its own id (the publisher's, or {@code #<epoch>-<seq>}), type, {@code retry:}
 *       and data, as the Mercure protocol sends them.</li>
 * </ul>
 */
public enum WireFormat {
    PLAIN,
    JSON_ENVELOPE,
    MERCURE;

    /**
     * How a broker id is written in this format's {@code id:} lines: as it is, or for Mercure streams
     * as the hub's own id, {@code #<epoch>-<seq>} (a fragment, which no publisher-chosen id can be).
     */
    public String idText(EventId id) {
        return this == MERCURE ? MercureUpdate.hubId(id) : id.toString();
    }

    /** The format named by an {@code envelope} query value (null or empty: plain). */
    public static WireFormat fromParameter(String value) {
        if (value == null || value.isEmpty()) {
            return PLAIN;
        }
        if (value.equals("json")) {
            return JSON_ENVELOPE;
        }
        throw new IllegalArgumentException("envelope '" + value + "' is not known; the one envelope is 'json'");
    }
}
