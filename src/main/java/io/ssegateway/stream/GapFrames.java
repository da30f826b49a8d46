package io.ssegateway.stream;

import io.ssegateway.broker.Replay;
import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * The documented {@code gap} event. It tells the client that events between its last id and
 * what follows are no longer available (or were dropped), so a loss is never silent:
 * <pre>
 * event: gap
 * data: {"reason":"history-trimmed","lastEventId":"k2f9x0qz-42"}
 * </pre>
 * For {@code epoch-changed} and {@code unknown-id} the event carries {@code id: <epoch>-0}, so
 * that the client's next resume starts at the beginning of the current sequence.
 */
public final class GapFrames {
    public static final String EVENT_TYPE = "gap";

    private GapFrames() {
    }

    /** The gap event before a replay. */
    public static ControlFrame forReplay(Replay replay, EventId clientLastId) {
        JsonObjectBuilder data = Json.createObjectBuilder()
            .add("reason", replay.gap().wireName())
            .add("lastEventId", clientLastId.toString());
        return new ControlFrame(FrameEncoder.event(replay.restart(), EVENT_TYPE, data.build().toString()));
    }

    /** A gap found while streams were live (broker reconnect, sequence restart); no client id to name. */
    public static ControlFrame live(Replay.Gap gap, EventId restart) {
        String data = Json.createObjectBuilder().add("reason", gap.wireName()).build().toString();
        return new ControlFrame(FrameEncoder.event(restart, EVENT_TYPE, data));
    }

    /** The gap event for frames dropped under the drop-oldest policy. */
    public static ControlFrame dropped(int frames) {
        String data = Json.createObjectBuilder()
            .add("reason", Replay.Gap.DROPPED.wireName())
            .add("dropped", frames)
            .build().toString();
        return new ControlFrame(FrameEncoder.event(null, EVENT_TYPE, data));
    }
}
