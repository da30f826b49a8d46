package io.ssegateway.load;

import java.util.concurrent.atomic.AtomicLong;

/** What the HTTP/2 streams of a run did to come back after their streams ended (with resume). */
final class ResumeCounts {
    /** Times a stream set out to open again: after its stream ended or an attempt found no connection. */
    final AtomicLong attempts = new AtomicLong();
    /** Attempts that found no connection (refused, reset before the answer) and wait to try again. */
    final AtomicLong refused = new AtomicLong();
    /** Streams answered with a status other than 200 on a resume: ended for good, as in a browser. */
    final AtomicLong closedForGood = new AtomicLong();
    /** Wall-clock time of the latest resume answered with 200, or 0. */
    final AtomicLong lastResumedAtMillis = new AtomicLong();
}
