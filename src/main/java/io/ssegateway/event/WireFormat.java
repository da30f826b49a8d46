package io.ssegateway.event;

/**
 * How a stream's events are framed: a strategy each door provides for its streams, so that the
 * values in this package stay the same whichever door sends them. The native door's two:
 * <ul>
 *   <li>{@link #PLAIN}: the data as published, in {@code data:} lines.</li>
 *   <li>{@link #JSON_ENVELOPE} ({@code envelope=json}): one {@code data:} line holding
 *       {@code {"topic":"…","data":"…"}}, so one stream of many topics tells each event's topic.
 *       {@code id:} and {@code event:} are the same as in the plain frame, so Last-Event-ID and
 *       {@code addEventListener(type)} work unchanged. The data is what an EventSource would have
 *       received plainly (line breaks as {@code \n}).</li>
 * </ul>
 * Another door adds its own (the Mercure door frames each update with its own id, type and retry).
 * An event is encoded in a format at most once: {@link Event#in} keeps the result.
 */
public interface WireFormat {
    WireFormat PLAIN = new WireFormat() {
        @Override
        public byte[] encode(Event event) {
            return event.frame();
        }

        @Override
        public String toString() {
            return "plain";
        }
    };

    WireFormat JSON_ENVELOPE = new WireFormat() {
        @Override
        public byte[] encode(Event event) {
            return FrameEncoder.envelope(event);
        }

        @Override
        public String toString() {
            return "json";
        }
    };

    /** The event's frame in this format. Called at most once per event and format that a stream uses. */
    byte[] encode(Event event);

    /** How a broker id is written in this format's {@code id:} lines (gap events' restart ids too). */
    default String idText(EventId id) {
        return id.toString();
    }

    /** The native door's format named by an {@code envelope} query value (null or empty: plain). */
    static WireFormat fromParameter(String value) {
        if (value == null || value.isEmpty()) {
            return PLAIN;
        }
        if (value.equals("json")) {
            return JSON_ENVELOPE;
        }
        throw new IllegalArgumentException("envelope '" + value + "' is not known; the one envelope is 'json'");
    }
}
