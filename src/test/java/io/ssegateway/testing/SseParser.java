package io.ssegateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A test-side parser of the text/event-stream format, following the WHATWG EventSource rules:
 * lines end with CR, LF or CRLF; {@code id} persists across events; a block with no data is not
 * dispatched; comments are reported separately.
 */
public final class SseParser {
    private final Consumer<SseEvent> events;
    private final Consumer<String> comments;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    private boolean lastWasCr;
    private String lastId;
    private String type;
    private StringBuilder data;
    private String retry;

    public SseParser(Consumer<SseEvent> events, Consumer<String> comments) {
        this.events = events;
        this.comments = comments;
    }

    public void feed(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte b = bytes[i];
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                onLine(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    private void onLine(String text) {
        if (text.isEmpty()) {
            if (data != null) {
                String d = data.toString();
                events.accept(new SseEvent(lastId, type, d, retry));
            }
            data = null;
            type = null;
            retry = null;
            return;
        }
        if (text.startsWith(":")) {
            comments.accept(text.substring(1).trim());
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "event" -> type = value;
            case "id" -> lastId = value;
            case "retry" -> retry = value;
            default -> { }
        }
    }

    /** Parses a whole text at once. */
    public static List<SseEvent> parseAll(String text) {
        List<SseEvent> out = new ArrayList<>();
        SseParser p = new SseParser(out::add, c -> { });
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        p.feed(b, 0, b.length);
        return out;
    }
}
