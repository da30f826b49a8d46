package io.ssegateway.auth;

import java.time.Instant;

/**
 * What a verified token allows.
 *
 * @param publish   topics it may publish to ({@code publish} claim)
 * @param subscribe topics it may subscribe to ({@code subscribe} claim)
 * @param expiresAt its {@code exp} plus the tolerated clock skew (when a stream it opened must end),
 *                  or null if it has none
 */
public record Grant(TopicPatterns publish, TopicPatterns subscribe, Instant expiresAt) {
}
