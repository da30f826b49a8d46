package io.ssegateway.mercure;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Mercure update as it travels through the broker: the data of one event on the Mercure log
 * topic, a one-line JSON object holding the update's topics, private flag, publisher-chosen id,
 * type, retry and data. Every node decodes it once per event ({@link #of}) and frames it once for
 * all its Mercure streams ({@link MercureFormat}).
 *
 * @param topics        the canonical topic first, then the alternates; at least one
 * @param privateUpdate true if only subscribers whose token grants one of the topics may receive it
 * @param id            the publisher's id, or null: the hub's id is then {@code #<broker id>}
 * @param type          the SSE {@code event:} value, or null
 * @param retry         the SSE {@code retry:} value (decimal digits), or null
 * @param data          the data; may hold line breaks
 */
public record MercureUpdate(List<String> topics, boolean privateUpdate, String id, String type, String retry,
                            String data) {
    /** The broker topic all Mercure updates are stored on; not a valid native topic, so no native client reads it. */
    public static final String LOG_TOPIC = "~mercure";
    private static final JsonProvider JSON = JsonProvider.provider();

    public MercureUpdate {
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("an update has at least one topic");
        }
        Objects.requireNonNull(data, "data");
    }

    /** The id subscribers see: the publisher's, or the hub's own ({@link #hubId}). */
    public String idFor(EventId brokerId) {
        return id != null ? id : hubId(brokerId);
    }

    /**
     * The hub's id of an update stored as {@code brokerId}: {@code #<epoch>-<seq>}, a fragment,
     * which no publisher's id can be.
     */
    public static String hubId(EventId brokerId) {
        return "#" + brokerId;
    }

    /** The broker id a hub id ({@link #hubId}) names, or null if {@code mercureId} is not one. */
    public static EventId brokerIdOf(String mercureId) {
        if (!mercureId.startsWith("#")) {
            return null;
        }
        try {
            return EventId.parse(mercureId.substring(1));
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    /** The event's data on the log topic. */
    public String toLogData() {
        JsonArrayBuilder t = JSON.createArrayBuilder();
        topics.forEach(t::add);
        JsonObjectBuilder o = JSON.createObjectBuilder().add("topics", t);
        if (privateUpdate) {
            o.add("private", true);
        }
        if (id != null) {
            o.add("id", id);
        }
        if (type != null) {
            o.add("type", type);
        }
        if (retry != null) {
            o.add("retry", retry);
        }
        return o.add("data", data).build().toString();
    }

    /**
     * The update a log event carries, decoded once per event however many streams route it.
     *
     * @throws IllegalArgumentException if the event is not a Mercure update (someone else wrote to the log topic)
     */
    static MercureUpdate of(Event event) {
        return event.decoded(MercureUpdate.class, e -> fromLogFrame(e.frame()));
    }

    private static MercureUpdate fromLogFrame(byte[] frame) {
        String json = FrameEncoder.typeAndData(frame)[1];
        try {
            JsonObject o = JSON.createReader(new StringReader(json)).readObject();
            JsonArray array = o.getJsonArray("topics");
            List<String> topics = new ArrayList<>(array.size());
            for (JsonString s : array.getValuesAs(JsonString.class)) {
                topics.add(s.getString());
            }
            return new MercureUpdate(topics, o.getBoolean("private", false), o.getString("id", null),
                o.getString("type", null), o.getString("retry", null), o.getString("data"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Mercure update: " + e.getMessage(), e);
        }
    }

    /** The SSE frame Mercure subscribers receive for this update stored as {@code brokerId}. */
    byte[] frame(EventId brokerId) {
        return FrameEncoder.event(idFor(brokerId), type, retry, data);
    }
}
