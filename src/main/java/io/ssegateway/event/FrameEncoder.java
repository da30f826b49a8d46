package io.ssegateway.event;

import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes Server-Sent Events frames. Each frame is encoded once and its bytes are shared.
 *
 * <p>An event with id {@code e1-7}, type {@code price} and data {@code "a\r\nb"} is sent as:
 * <pre>
 * id: e1-7\n
 * event: price\n
 * data: a\n
 * data: b\n
 * \n
 * </pre>
 * CR, LF and CRLF in the data each end a line, so a payload can never start a new field or a
 * new event. Empty data is one {@code data:} line with nothing after the colon's space.
 */
public final class FrameEncoder {
    /** Found once: {@code Json.createObjectBuilder()} searches the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();
    private FrameEncoder() {
    }

    /**
     * The frame of an event. {@code id} null means no {@code id:} line (control events such as
     * {@code gap} that must not move the client's Last-Event-ID); {@code type} null or empty means
     * the default type, {@code message}.
     */
    public static byte[] event(EventId id, String type, String data) {
        StringBuilder sb = new StringBuilder(data.length() + 48);
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        if (type != null && !type.isEmpty()) {
            sb.append("event: ").append(type).append('\n');
        }
        appendData(sb, data);
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@link WireFormat#JSON_ENVELOPE} frame of {@code event}: its {@code id:} and {@code event:}
     * lines, then one {@code data:} line with {@code {"topic":…,"data":…}}. Type and data are read
     * back from the plain frame in one pass (the data as an EventSource assembles it: its
     * {@code data:} lines joined by {@code \n}), so events read from Redis, which keeps only
     * frames, envelope the same way.
     */
    public static byte[] envelope(Event event) {
        String[] typeAndData = typeAndData(event.frame());
        String type = typeAndData[0];
        String data = typeAndData[1];
        String json = JSON.createObjectBuilder().add("topic", event.topic()).add("data", data)
            .build().toString();
        StringBuilder sb = new StringBuilder(json.length() + 48);
        sb.append("id: ").append(event.id()).append('\n');
        if (type != null) {
            sb.append("event: ").append(type).append('\n');
        }
        sb.append("data: ").append(json).append("\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@code event:} value (null if none) and the data (its {@code data:} lines joined by
     * {@code \n}, as an EventSource assembles it; "" if none) of an event's plain frame.
     */
    public static String[] typeAndData(byte[] frame) {
        String type = null;
        StringBuilder data = null;
        for (String line : new String(frame, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("event:")) {
                type = stripSpace(line.substring(6));
            } else if (line.startsWith("data:")) {
                if (data == null) {
                    data = new StringBuilder();
                } else {
                    data.append('\n');
                }
                data.append(stripSpace(line.substring(5)));
            }
        }
        return new String[] {type, data == null ? "" : data.toString()};
    }

    /**
     * A frame with a textual {@code id:} (a Mercure update's id), an optional {@code event:} and
     * {@code retry:}, and the data split into {@code data:} lines at CR, LF and CRLF. The caller has
     * checked that id, type and retry hold no line break.
     */
    public static byte[] event(String id, String type, String retry, String data) {
        StringBuilder sb = new StringBuilder(data.length() + 64);
        sb.append("id: ").append(id).append('\n');
        if (type != null && !type.isEmpty()) {
            sb.append("event: ").append(type).append('\n');
        }
        if (retry != null) {
            sb.append("retry: ").append(retry).append('\n');
        }
        appendData(sb, data);
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String stripSpace(String value) {
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /**
     * A comment line ({@code : text\n}) with no blank line after it. Every blank line the gateway
     * sends ends a block that carries data: a comment sent at a block boundary becomes part of the
     * next event's block, which every parser ignores. A comment followed by a blank line would be
     * an empty block, and clients that dispatch every non-empty block report it as an empty message
     * (httpx-sse does so for every such block once it has seen an {@code id:}).
     */
    public static byte[] comment(String text) {
        return (": " + stripLineBreaks(text) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A {@code retry:} field (the client's reconnect delay in milliseconds) without the blank line
     * that would end a block: it is sent in front of an event's frame so that it joins that event's
     * block. A block holding only {@code retry:} is no event in a browser, but clients that dispatch
     * every block (httpx-sse, Gatling) report it as an empty message.
     */
    public static byte[] retryField(long millis) {
        return ("retry: " + millis + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Puts a {@code retry:} field into an event's own block, so the client applies it with that event. */
    public static byte[] withRetry(long millis, byte[] eventFrame) {
        return concat(retryField(millis), eventFrame);
    }

    /** Concatenates frames into one buffer (for a preamble sent as one write). */
    public static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static void appendData(StringBuilder sb, String data) {
        sb.append("data: ");
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\r') {
                if (i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                sb.append("\ndata: ");
            } else if (c == '\n') {
                sb.append("\ndata: ");
            } else {
                sb.append(c);
            }
        }
        sb.append('\n');
    }

    private static String stripLineBreaks(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
