package io.ssegateway.event;

import java.util.regex.Pattern;

/**
 * The documented character sets of topics and event types.
 *
 * <p>Topic: 1 to 128 characters of {@code A-Z a-z 0-9 . _ - : / @}, starting with a letter or
 * digit. Event type: 1 to 64 characters of {@code A-Z a-z 0-9 . _ - :}, starting with a letter.
 * Neither can hold a control character, a space or anything that would need escaping in a URL
 * path segment, a Redis key or an SSE field.
 */
public final class Names {
    public static final int MAX_TOPIC_LENGTH = 128;
    public static final int MAX_TYPE_LENGTH = 64;
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-:/@]{0,127}");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9._\\-:]{0,63}");

    private Names() {
    }

    public static boolean isValidTopic(String topic) {
        return topic != null && TOPIC.matcher(topic).matches();
    }

    /**
     * True for a topic a broker may store: a valid topic, or an internal one ({@code ~} and a valid
     * topic, which a door may keep for itself), which clients of the native door cannot name.
     */
    public static boolean isBrokerTopic(String topic) {
        return isValidTopic(topic) || (topic != null && topic.startsWith("~") && isValidTopic(topic.substring(1)));
    }

    public static boolean isValidType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    /** Human-readable rule for error messages. */
    public static String topicRule() {
        return "1-" + MAX_TOPIC_LENGTH + " characters of A-Z a-z 0-9 . _ - : / @, starting with a letter or digit";
    }

    public static String typeRule() {
        return "1-" + MAX_TYPE_LENGTH + " characters of A-Z a-z 0-9 . _ - :, starting with a letter";
    }
}
