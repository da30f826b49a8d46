package io.ssegateway.client;

/**
 * The gateway's {@code gap} event: events between {@code lastEventId} and what follows are no
 * longer available, so a loss is never silent. The stream goes on after it.
 *
 * @param reason      {@code history-trimmed}, {@code epoch-changed}, {@code unknown-id} or
 *                    {@code slow-consumer-dropped} (README, "Control events")
 * @param lastEventId the id the replay started after, or null when the gap was found while live
 * @param dropped     for {@code slow-consumer-dropped}, how many events were dropped; otherwise 0
 */
public record Gap(String reason, String lastEventId, long dropped) {
}
