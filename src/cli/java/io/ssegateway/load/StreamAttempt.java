package io.ssegateway.load;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;

/**
 * What one attempt of an HTTP/2 stream counts, the same over h2c ({@link H2cStreams}) and h2
 * ({@link H2Streams}): an answer of 200 that does not end the stream establishes it; any other
 * answer ends it for good, as an EventSource gives up; when an attempt ends, the stream opens again
 * later with resume, and counts as failed without. Every method is called under the stream's
 * loop's lock; what comes after the attempt ended is ignored.
 */
final class StreamAttempt {
    private final SseConnection connection;
    private final SelectorLoop loop;
    /** Null without resume. */
    private final ResumeCounts resumes;
    private final boolean resuming;
    /** Whether the answer was 200 (the stream counts as established). */
    private boolean open;
    private boolean ended;

    /** An attempt of {@code connection}'s stream; {@code resuming} if an earlier one ended. */
    StreamAttempt(SseConnection connection, SelectorLoop loop, ResumeCounts resumes, boolean resuming) {
        this.connection = connection;
        this.loop = loop;
        this.resumes = resumes;
        this.resuming = resuming;
        if (resuming) {
            connection.newAttempt();
        }
    }

    /** This attempt's request: a GET of the stream's URL, with {@code Last-Event-ID} when resuming after an event. */
    MetaData.Request request(LoadOptions options) {
        HttpFields.Mutable headers = HttpFields.build().put(HttpHeader.ACCEPT, "text/event-stream");
        String lastEventId = connection.lastEventId();
        if (resuming && lastEventId != null) {
            headers.put("Last-Event-ID", lastEventId);
        }
        return new MetaData.Request("GET", HttpURI.from(options.uriFor(connection.index).toString()), HttpVersion.HTTP_2, headers);
    }

    /** The response's head: its status, and whether it ended the stream. */
    void answered(int status, boolean endStream) {
        if (ended) {
            return;
        }
        connection.headersFrame(status);
        if (status == 200 && !endStream) {
            open = true;
            loop.established.incrementAndGet();
            if (resuming) {
                resumes.lastResumedAtMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
            }
        } else {
            ended = true;
            loop.failed.incrementAndGet();
            connection.phase = SseConnection.Phase.CLOSED;
            if (resuming) {
                resumes.closedForGood.incrementAndGet();
            }
        }
    }

    /** Body bytes, into the stream's parser. */
    void data(byte[] bytes, int off, int len) {
        if (!ended) {
            connection.feed(bytes, off, len, loop);
        }
    }

    /**
     * The attempt is over (the stream ended or reset, its connection failed, or it was never
     * made); counted once. True if the stream should open again, after its {@code retry:} delay.
     */
    boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        connection.phase = SseConnection.Phase.CLOSED;
        if (open) {
            loop.established.decrementAndGet();
        }
        if (resumes == null) {
            loop.failed.incrementAndGet();
            return false;
        }
        if (!open) {
            resumes.refused.incrementAndGet();
        }
        resumes.attempts.incrementAndGet();
        return true;
    }
}
