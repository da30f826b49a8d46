package io.ssegateway.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SSE line parser, against the event-stream rules read one byte at a time: line ends found
 * eight bytes at a time must be the same line ends, wherever the reads split the bytes.
 */
class SseLineParserTest {
    /** Bytes next to LF (0x0a) and CR (0x0d), and with the high bit set, which a word-wise search could mistake. */
    private static final byte[] NEAR_MISSES = {0x00, 0x01, 0x09, 0x0b, 0x0c, 0x0e, (byte) 0x8a, (byte) 0x8d, (byte) 0xff, 'a', ':'};

    @Test
    void theLineEndIsTheFirstCrOrLfAtEveryOffsetAndLength() {
        Random random = new Random(7);
        for (int size = 0; size <= 40; size++) {
            for (int at = -1; at < size; at++) {
                for (byte end : new byte[] {'\n', '\r'}) {
                    byte[] bytes = new byte[size + 3];
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = NEAR_MISSES[random.nextInt(NEAR_MISSES.length)];
                    }
                    if (at >= 0) {
                        bytes[at + 3] = end;
                    }
                    bytes[0] = '\n'; // a line end before the range must not count
                    assertEquals(at >= 0 ? at + 3 : size + 3, SseLineParser.lineEnd(bytes, 3, size + 3),
                        "size " + size + ", line end at " + at);
                }
            }
        }
    }

    @Test
    void linesAreTheSameHoweverTheReadsSplitThem() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            StringBuilder body = new StringBuilder();
            for (int line = 0; line < 20; line++) {
                switch (random.nextInt(5)) {
                    case 0 -> body.append("data: ").append("x".repeat(random.nextInt(400)));
                    case 1 -> body.append("id: e-").append(line);
                    case 2 -> body.append(": comment");
                    case 3 -> body.append("event:tick");
                    default -> { } // an empty line ends the block
                }
                body.append(new String[] {"\n", "\r", "\r\n"}[random.nextInt(3)]);
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            List<String> expected = byteByByte(bytes, 64);
            SseLineParser parser = new SseLineParser(64);
            Recorder recorder = new Recorder();
            for (int at = 0; at < bytes.length; ) {
                // Empty reads too: an HTTP/2 DATA frame may carry no bytes (one that ends the stream).
                int n = Math.min(bytes.length - at, random.nextInt(random.nextBoolean() ? 4 : 200));
                parser.feed(bytes, at, n, recorder);
                at += n;
            }
            assertEquals(expected, recorder.seen, "round " + round + ": " + body);
        }
    }

    /** The rules, one byte at a time: CR, LF or CRLF end a line; a line keeps at most {@code max} bytes. */
    private static List<String> byteByByte(byte[] bytes, int max) {
        Recorder recorder = new Recorder();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                String text = line.toString();
                if (text.isEmpty()) {
                    recorder.blockEnd();
                } else if (text.startsWith(":")) {
                    recorder.comment(text.substring(text.length() > 1 && text.charAt(1) == ' ' ? 2 : 1));
                } else {
                    int colon = text.indexOf(':');
                    String name = colon < 0 ? text : text.substring(0, colon);
                    String value = colon < 0 ? "" : text.substring(colon + 1);
                    recorder.field(name, value.startsWith(" ") ? value.substring(1) : value);
                }
                line.setLength(0);
                if (b == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                    i++;
                }
            } else if (line.length() < max) {
                line.append((char) b);
            }
        }
        return recorder.seen;
    }

    private static final class Recorder implements SseLineParser.Handler {
        final List<String> seen = new ArrayList<>();

        @Override
        public void field(String name, String value) {
            seen.add(name + "=" + value);
        }

        @Override
        public void comment(String text) {
            seen.add("#" + text);
        }

        @Override
        public void blockEnd() {
            seen.add("|");
        }
    }
}
