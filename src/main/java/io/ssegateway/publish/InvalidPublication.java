package io.ssegateway.publish;

import io.ssegateway.event.Names;
import io.ssegateway.http.JsonResponses;

/**
 * A publication that breaks a rule of the native door, with the status and error code it is
 * answered with, whether it came as {@code POST /publish} or from code in the gateway's JVM
 * ({@link DirectPublisher}).
 */
public final class InvalidPublication extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    InvalidPublication(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** The topic and event type rules (README, "Events and ids"); {@code type} may be null. */
    static void checkNames(String topic, String type) throws InvalidPublication {
        if (topic == null || !Names.isValidTopic(topic)) {
            throw new InvalidPublication(400, "invalid-topic",
                "topic '" + JsonResponses.sanitize(String.valueOf(topic)) + "' is invalid: " + Names.topicRule());
        }
        if (type != null && !Names.isValidType(type)) {
            throw new InvalidPublication(400, "invalid-event-type",
                "event type '" + JsonResponses.sanitize(type) + "' is invalid: " + Names.typeRule());
        }
    }

    public int status() {
        return status;
    }

    /** The error code ({@code invalid-topic}, …), as the JSON answer's {@code error}. */
    public String code() {
        return code;
    }
}
