package io.ssegateway.testing;

import io.ssegateway.load.SseLineParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Assembles the project's one SSE parser's lines ({@link SseLineParser}) into whole events, as an
 * EventSource does: {@code id} persists across events; a block with no data is not dispatched;
 * comments are reported separately.
 */
public final class SseParser implements SseLineParser.Handler {
    private final Consumer<SseEvent> events;
    private final Consumer<String> comments;
    private final SseLineParser lines = new SseLineParser(1 << 20);
    private String lastId;
    private String type;
    private StringBuilder data;
    private String retry;

    public SseParser(Consumer<SseEvent> events, Consumer<String> comments) {
        this.events = events;
        this.comments = comments;
    }

    public void feed(byte[] bytes, int off, int len) {
        lines.feed(bytes, off, len, this);
    }

    @Override
    public void field(String name, String value) {
        switch (name) {
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

    @Override
    public void comment(String text) {
        comments.accept(text.trim());
    }

    @Override
    public void blockEnd() {
        if (data != null) {
            events.accept(new SseEvent(lastId, type, data.toString(), retry));
        }
        data = null;
        type = null;
        retry = null;
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
