package io.ssegateway.load;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * What a resuming load saw after its hold ended (a benchmark restarted the node meanwhile): the
 * streams back, the attempts it took, and every event counted over the whole run, the ones
 * published while the streams were away included. Times are wall-clock milliseconds, to be set
 * against the benchmark's own clock on the same machine.
 *
 * @param streamsBack         streams open with 200 at the end
 * @param resumeAttempts      times a stream set out to open again (after an end or a refused attempt)
 * @param refusedAttempts     attempts that found no connection or ended before their head
 * @param closedForGood       streams answered with a status other than 200 on a resume
 * @param lastBackAtMillis    when the last stream was answered 200 again (0: none resumed)
 * @param lastEventAtMillis   when the last event arrived
 * @param expectedPerStream   events every stream must have got over the run
 * @param lost                events a stream never got, summed over the streams
 */
public record ResumeResult(long streamsBack, long resumeAttempts, long refusedAttempts, long closedForGood,
                           long lastBackAtMillis, long lastEventAtMillis, long expectedPerStream, long received, long lost,
                           long duplicates, long outOfOrder) {

    boolean clean() {
        return closedForGood == 0 && lost == 0 && duplicates == 0 && outOfOrder == 0;
    }

    JsonObject toJson() {
        return Json.createObjectBuilder().add("streamsBack", streamsBack).add("resumeAttempts", resumeAttempts)
            .add("refusedAttempts", refusedAttempts).add("closedForGood", closedForGood).add("lastBackAtMillis", lastBackAtMillis)
            .add("lastEventAtMillis", lastEventAtMillis).add("expectedPerStream", expectedPerStream).add("received", received)
            .add("lost", lost).add("duplicates", duplicates).add("outOfOrder", outOfOrder).build();
    }

    String summary() {
        return String.format("resumed: %d streams back after %d attempts (%d refused), %d closed for good; %d events per "
                + "stream expected, %d received, %d lost, %d duplicated, %d out of order",
            streamsBack, resumeAttempts, refusedAttempts, closedForGood, expectedPerStream, received, lost, duplicates,
            outOfOrder);
    }
}
