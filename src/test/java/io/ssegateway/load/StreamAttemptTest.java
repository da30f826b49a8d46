package io.ssegateway.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an HTTP/2 stream's attempts count, and when a stream opens again: as an EventSource would. */
class StreamAttemptTest {
    private final SelectorLoop loop;
    private final ResumeCounts resumes = new ResumeCounts();
    private final SseConnection connection = new SseConnection(0, null);

    StreamAttemptTest() throws Exception {
        loop = new SelectorLoop();
    }

    /** The loop never runs here; run stopped, it ends at once and closes its selector. */
    @AfterEach
    void closeLoop() {
        loop.stop();
        loop.run();
    }

    private static LoadOptions options() {
        return new LoadOptions("http://127.0.0.1:9/events?topic=t", 1, 1, java.util.List.of(), 1, null, 0, 0, 10, 1, 1);
    }

    @Test
    void anEstablishedStreamThatEndsOpensAgainWithItsLastEventId() {
        StreamAttempt first = new StreamAttempt(connection, loop, resumes, false);
        assertEquals(null, first.request(options()).getHttpFields().get("Last-Event-ID"), "a new stream has no id to send");
        first.answered(200, false);
        assertEquals(1, loop.established.get());
        byte[] event = "id: e-7\ndata: x\n\n".getBytes(StandardCharsets.UTF_8);
        first.data(event, 0, event.length);
        assertTrue(first.end(), "ended: it opens again");
        assertFalse(first.end(), "counted once");
        assertEquals(0, loop.established.get());
        assertEquals(1, resumes.attempts.get());
        assertEquals(0, resumes.refused.get(), "it had been answered");

        StreamAttempt second = new StreamAttempt(connection, loop, resumes, true);
        assertEquals("e-7", second.request(options()).getHttpFields().get("Last-Event-ID"));
        second.answered(200, false);
        assertEquals(1, loop.established.get());
        assertTrue(resumes.lastResumedAtMillis.get() > 0);
        first.data(event, 0, event.length);
        assertEquals(1, connection.stats.received, "what an ended attempt gets is not counted");
    }

    @Test
    void anAttemptThatFoundNoServerIsRefusedAndTriedAgain() {
        StreamAttempt attempt = new StreamAttempt(connection, loop, resumes, true);
        assertTrue(attempt.end());
        assertEquals(1, resumes.refused.get());
        assertEquals(0, loop.failed.get(), "not a failure while it may come back");
    }

    @Test
    void anAnswerOtherThan200OnAResumeEndsTheStreamForGood() {
        StreamAttempt attempt = new StreamAttempt(connection, loop, resumes, true);
        attempt.answered(503, false);
        assertEquals(1, resumes.closedForGood.get());
        assertEquals(1, loop.failed.get());
        assertFalse(attempt.end(), "an EventSource gives up on any status but 200");
        assertEquals(0, resumes.attempts.get());
    }

    @Test
    void withoutResumeAnEndedStreamIsAFailure() {
        StreamAttempt attempt = new StreamAttempt(connection, loop, null, false);
        attempt.answered(200, false);
        assertFalse(attempt.end());
        assertEquals(0, loop.established.get());
        assertEquals(1, loop.failed.get());
    }
}
