package io.ssegateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventParserTest {
    private final List<String> found = new ArrayList<>();
    private final EventParser parser = new EventParser(new EventParser.Sink() {
        @Override
        public void event(String id, String type, String data) {
            found.add(id + "|" + type + "|" + data);
        }

        @Override
        public void comment(String text) {
            found.add("comment " + text);
        }

        @Override
        public void retry(long millis) {
            found.add("retry " + millis);
        }
    }, null);

    private void feed(String... lines) {
        for (String line : lines) {
            parser.line(line);
        }
    }

    @Test
    void aGatewayStreamIsReadAsAnEventSourceReadsIt() {
        feed(": sse-gateway", "retry: 3000", "id: e-1", "data: {\"a\":1}", "", ": heartbeat",
            "id: e-2", "event: order", "data: line one", "data: line two", "");
        assertEquals(List.of("comment sse-gateway", "retry 3000", "e-1|message|{\"a\":1}", "comment heartbeat",
            "e-2|order|line one\nline two"), found);
    }

    @Test
    void aBlockWithoutDataIsNoEventButItsIdCounts() {
        feed("id: e-7", "", "data:x", "");
        assertEquals(List.of("e-7|message|x"), found);
    }

    @Test
    void oneLeadingSpaceIsDroppedAndOnlyOne() {
        feed("data:  two spaces", "data:none", "data", "");
        assertEquals(List.of("null|message| two spaces\nnone\n"), found);
    }

    @Test
    void anIdWithANulAndARetryWithoutDigitsAreIgnored() {
        feed("id: e-1", "data: a", "", "id: bad\0id", "retry: 12s", "data: b", "");
        assertEquals(List.of("e-1|message|a", "e-1|message|b"), found);
    }

    @Test
    void theTypeDoesNotCarryOverToTheNextEvent() {
        feed("event: gap", "data: {}", "", "data: plain", "");
        assertEquals(List.of("null|gap|{}", "null|message|plain"), found);
    }
}
