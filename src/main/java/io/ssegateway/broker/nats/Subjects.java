package io.ssegateway.broker.nats;

import io.ssegateway.event.Names;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Topic and subject: topic {@code orders/42} is subject {@code <stream>.orders%2F42}. Every byte
 * of the topic other than {@code A-Z a-z 0-9 _ -} becomes {@code %XX} (upper-case hex), so the
 * topic is one subject token: its {@code . / : @} keep their meaning (a {@code .} would split the
 * token, which NATS reads as hierarchy) and no two topics share a subject.
 */
final class Subjects {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private final String prefix;

    /** @param stream the stream's name, which is also its subjects' first token */
    Subjects(String stream) {
        this.prefix = stream + ".";
    }

    /** The stream's subject filter: one token after the prefix. */
    String filter() {
        return prefix + "*";
    }

    String of(String topic) {
        StringBuilder out = new StringBuilder(prefix.length() + topic.length() + 8).append(prefix);
        for (byte b : topic.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    /** The topic of {@code subject}, or null if it is not a subject of a valid topic in this stream. */
    String topicOf(String subject) {
        if (!subject.startsWith(prefix)) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(subject.length() - prefix.length());
        for (int i = prefix.length(); i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (c == '%') {
                if (i + 2 >= subject.length()) {
                    return null;
                }
                int hi = Character.digit(subject.charAt(i + 1), 16);
                int lo = Character.digit(subject.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        String topic = bytes.toString(StandardCharsets.UTF_8);
        // Only the canonical spelling: "%41" for "A" would be a second subject of one topic.
        return Names.isBrokerTopic(topic) && of(topic).equals(subject) ? topic : null;
    }
}
