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
 * </ul>
 */
public enum WireFormat {
    PLAIN,
    JSON_ENVELOPE;

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
