package io.ssegateway.testing;

/** One event as an EventSource would dispatch it; {@code id} is the last id seen (may be null). */
public record SseEvent(String id, String event, String data, String retry) {
    public String typeOrMessage() {
        return event == null ? "message" : event;
    }
}
