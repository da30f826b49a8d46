package io.ssegateway.event;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

/**
 * The frames a stream sends that are not published events, with their exact bytes. They live with
 * the event encoding so that every layer (broker gaps, hub fan-out, streams, admission) uses one
 * definition.
 *
 * <ul>
 *   <li>The preamble: the comment line {@code : sse-gateway}, sent first so headers and a byte go
 *       out at once, and the node's {@code retry: <ms>} field ({@link FrameEncoder#retryField})
 *       without a blank line: the client knows its reconnection delay from the start, and the
 *       field joins the block of the stream's first event.</li>
 *   <li>{@code : heartbeat}, a comment line that keeps proxies from closing an idle stream.</li>
 * </ul>
 * Comments are lines without a blank line after them, and {@code retry:} never has a block of its
 * own: every block the gateway ends with a blank line carries data, so no client, whether it
 * follows the WHATWG rule "no data, no event" or dispatches every block, sees an empty event.
 * <ul>
 *   <li>The documented {@code gap} event: events between the client's last id and what follows
 *       are no longer available (or were dropped), so a loss is never silent:
 * <pre>
 * event: gap
 * data: {"reason":"history-trimmed","lastEventId":"k2f9x0qz-42"}
 * </pre>
 *       For {@code epoch-changed} and {@code unknown-id} it carries {@code id: <epoch>-0}, so that
 *       the client's next resume starts at the beginning of the current sequence.</li>
 *   <li>{@code server-shutdown} and {@code server-busy}, each with the {@code retry:} it asks for.</li>
 * </ul>
 */
public final class ControlFrames {
    /** Found once: {@code Json.createObjectBuilder()} searches the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();
    public static final String GAP_EVENT = "gap";
    /** The gap reason for frames dropped under the {@code drop-oldest} policy. */
    public static final String DROPPED = "slow-consumer-dropped";
    public static final String SHUTDOWN_EVENT = "server-shutdown";
    public static final String BUSY_EVENT = "server-busy";

    private static final ControlFrame HEARTBEAT = new ControlFrame(FrameEncoder.comment("heartbeat"));

    private ControlFrames() {
    }

    /**
     * The first frame of every stream of a node whose reconnection delay is {@code retryMillis}:
     * a comment and the {@code retry:} field, no blank line, so that no client reports an event.
     * One per node: every stream sends the same bytes, and its first event goes out as it is.
     */
    public static ControlFrame preamble(long retryMillis) {
        return new ControlFrame(FrameEncoder.concat(FrameEncoder.comment("sse-gateway"), FrameEncoder.retryField(retryMillis)));
    }


    public static ControlFrame heartbeat() {
        return HEARTBEAT;
    }

    /**
     * The gap event before a replay (page).
     *
     * @param reason      the gap's documented reason
     * @param lastEventId the id the replay started after
     * @param restart     the id that makes a later resume correct, or null
     * @param format      the stream's format: ids are written as its clients send them back
     */
    public static ControlFrame gap(String reason, EventId lastEventId, EventId restart, WireFormat format) {
        JsonObjectBuilder data = JSON.createObjectBuilder().add("reason", reason)
            .add("lastEventId", format.idText(lastEventId));
        return gapFrame(restart, data.build().toString(), format);
    }

    /** A gap found while streams were live (broker reconnect, sequence restart); no client id to name. */
    public static ControlFrame liveGap(String reason, EventId restart, WireFormat format) {
        return gapFrame(restart, JSON.createObjectBuilder().add("reason", reason).build().toString(), format);
    }

    private static ControlFrame gapFrame(EventId restart, String data, WireFormat format) {
        return new ControlFrame(restart == null ? FrameEncoder.event(null, GAP_EVENT, data)
            : FrameEncoder.event(format.idText(restart), GAP_EVENT, null, data));
    }

    /** The gap event for frames dropped under the drop-oldest policy. */
    public static ControlFrame dropped(int frames) {
        String data = JSON.createObjectBuilder().add("reason", DROPPED).add("dropped", frames).build().toString();
        return new ControlFrame(FrameEncoder.event(null, GAP_EVENT, data));
    }

    /** {@code server-shutdown} with its {@code retry:}: the node drains; reconnect elsewhere. */
    public static ControlFrame shutdown(long retryMillis) {
        return new ControlFrame(FrameEncoder.withRetry(retryMillis, FrameEncoder.event(null, SHUTDOWN_EVENT,
            "{\"reason\":\"shutdown\",\"retryMillis\":" + retryMillis + "}")));
    }

    /** {@code server-busy} with its {@code retry:}: the stream cannot open now; come back then. */
    public static ControlFrame busy(String reason, long retryMillis) {
        String data = JSON.createObjectBuilder().add("reason", reason).add("retryMillis", retryMillis).build().toString();
        return new ControlFrame(FrameEncoder.withRetry(retryMillis, FrameEncoder.event(null, BUSY_EVENT, data)));
    }
}
