package io.ssegateway.client;

/**
 * The event-stream format as the WHATWG HTML standard ("Interpreting an event stream") reads it,
 * one line at a time (the HTTP client splits lines at LF, CR or CRLF): fields accumulate until a
 * blank line; a block without data is no event; {@code id} sets the last event id even without
 * data (never with a NUL); {@code retry} only with digits; comment lines are reported (the
 * gateway's preamble is one). Not thread-safe: one parser per connection, fed in order.
 */
final class EventParser {
    /** What the parser finds. */
    interface Sink {
        void event(String id, String type, String data);

        void comment(String text);

        void retry(long millis);
    }

    private final Sink sink;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type;
    private String lastEventId;

    EventParser(Sink sink, String lastEventId) {
        this.sink = sink;
        this.lastEventId = lastEventId;
    }

    void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            sink.comment(line.substring(1).strip());
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> type = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 18) {
                    sink.retry(Long.parseLong(value));
                }
            }
            default -> {
                // Unknown fields are ignored, as the standard says.
            }
        }
    }

    private void dispatch() {
        if (hasData) {
            sink.event(lastEventId, type == null || type.isEmpty() ? "message" : type, data.toString());
        }
        data.setLength(0);
        hasData = false;
        type = null;
    }
}
