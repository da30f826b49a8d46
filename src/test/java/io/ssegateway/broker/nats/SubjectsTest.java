package io.ssegateway.broker.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubjectsTest {
    private final Subjects subjects = new Subjects("sse");

    @Test
    void everyTopicCharacterOutsideLettersDigitsUnderscoreAndHyphenIsEncodedSoTheTopicIsOneToken() {
        assertEquals("sse.orders%2F42", subjects.of("orders/42"));
        assertEquals("sse.a%2Eb%3Ac%40d_e-f", subjects.of("a.b:c@d_e-f"));
        assertEquals("sse.*", subjects.filter());
    }

    @Test
    void topicsRoundTripAndNoTwoShareASubject() {
        List<String> topics = List.of("a/b", "a.b", "a:b", "a@b", "a_b", "a-b", "A", "a", "x".repeat(128));
        Set<String> seen = new HashSet<>();
        for (String topic : topics) {
            String subject = subjects.of(topic);
            assertEquals(topic, subjects.topicOf(subject));
            assertEquals(true, seen.add(subject), subject);
        }
    }

    @Test
    void subjectsThatNameNoValidTopicOrNotInCanonicalFormAreRefused() {
        assertNull(subjects.topicOf("other.a"), "another stream's subject");
        assertNull(subjects.topicOf("sse.%41"), "A spelled %41: a second subject for one topic");
        assertNull(subjects.topicOf("sse.a%2"), "a cut escape");
        assertNull(subjects.topicOf("sse.a%zz"), "not hex");
        assertNull(subjects.topicOf("sse.%2Fa"), "a topic must start with a letter or digit");
        assertNull(subjects.topicOf("sse."), "empty");
    }
}
