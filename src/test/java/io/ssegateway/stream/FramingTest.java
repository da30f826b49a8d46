package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import io.ssegateway.event.Names;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.SseParser;
import io.ssegateway.testing.TestGateway;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Point 5 of the core issue: frames encoded once, CR/LF safe, UTF-8, validated names. */
class FramingTest {
    private TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start();
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    @Test
    void encoderSplitsCrLfAndCrlfIntoDataLinesSoNoPayloadCanInjectAField() {
        byte[] frame = FrameEncoder.event(new EventId("e1", 7), "price", "a\r\nb\rc\nid: 666\n\nevent: evil");
        assertEquals("id: e1-7\nevent: price\ndata: a\ndata: b\ndata: c\ndata: id: 666\ndata: \ndata: event: evil\n\n",
            new String(frame, StandardCharsets.UTF_8));
        List<SseEvent> parsed = SseParser.parseAll(new String(frame, StandardCharsets.UTF_8));
        assertEquals(1, parsed.size(), "one event, whatever the payload");
        assertEquals("e1-7", parsed.get(0).id());
        assertEquals("a\nb\nc\nid: 666\n\nevent: evil", parsed.get(0).data());
    }

    @Test
    void emptyDataIsAValidEventWithOneEmptyDataLine() {
        assertEquals("id: e1-1\ndata: \n\n", new String(FrameEncoder.event(new EventId("e1", 1), null, ""),
            StandardCharsets.UTF_8));
    }

    @Test
    void wireBytesAreExactlyTheEncodedFrameAndIdenticalForEveryStream() throws Exception {
        try (Socket a = open("/events?topic=wire"); Socket b = open("/events?topic=wire")) {
            // The preamble carries the stream's retry: field, without a blank line: it joins the
            // block of the first event, so it is never a block of its own.
            String headA = readUntil(a.getInputStream(), ": sse-gateway\nretry: 3000\n");
            readUntil(b.getInputStream(), ": sse-gateway\nretry: 3000\n");
            assertTrue(headA.startsWith("HTTP/1.1 200 OK\r\n"), headA);
            String payload = "zwölf\r\n€ \u0000 end";
            HttpResponse<String> r = gw.post("/publish?topic=wire&event=t.1", payload);
            String id = Json.field(r.body(), "id");
            String expected = "id: " + id + "\nevent: t.1\ndata: zwölf\ndata: € \u0000 end\n\n";
            String gotA = readUntil(a.getInputStream(), "end\n\n");
            String gotB = readUntil(b.getInputStream(), "end\n\n");
            assertTrue(gotA.contains(expected), gotA);
            assertEquals(chunkPayload(gotA), chunkPayload(gotB), "both streams got the same bytes");
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), chunkPayload(gotA).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void invalidTopicsAndTypesAreRejectedWithTheRule() throws Exception {
        for (String topic : List.of("", "%20", "a%0Ab", "a%00", "-start", "x".repeat(129), "sp%20ace", "%C3%A9")) {
            HttpResponse<String> r = gw.get("/events?topic=" + topic);
            assertEquals(400, r.statusCode(), topic);
            HttpResponse<String> p = gw.post("/publish?topic=" + topic, "x");
            assertEquals(400, p.statusCode(), topic);
        }
        HttpResponse<String> r = gw.post("/publish?topic=ok&event=bad%0Atype", "x");
        assertEquals(400, r.statusCode());
        assertEquals("invalid-event-type", Json.field(r.body(), "error"));
        assertTrue(Names.isValidTopic("user/42@tenant:orders.v1_x-y"));
        assertTrue(Names.isValidTopic("x".repeat(128)));
    }

    private Socket open(String path) throws Exception {
        Socket s = new Socket("127.0.0.1", gw.port());
        s.setSoTimeout(5000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** Reads until {@code marker} has been seen (chunk framing included); fails after the socket timeout. */
    private static String readUntil(InputStream in, String marker) throws Exception {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!sb.toString().contains(marker) && System.nanoTime() < deadline) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        assertTrue(sb.toString().contains(marker), "did not see " + marker + " in " + sb);
        return sb.toString();
    }

    /** The body bytes of a single HTTP chunk {@code <hex>\r\n<bytes>\r\n}. */
    private static String chunkPayload(String chunk) {
        // The previous chunk's closing CRLF may arrive with this one.
        while (chunk.startsWith("\r\n")) {
            chunk = chunk.substring(2);
        }
        int crlf = chunk.indexOf("\r\n");
        int size = Integer.parseInt(chunk.substring(0, crlf).trim(), 16);
        byte[] all = chunk.substring(crlf + 2).getBytes(StandardCharsets.UTF_8);
        return new String(all, 0, size, StandardCharsets.UTF_8);
    }
}
