package io.ssegateway.client;

import java.net.http.HttpHeaders;
import java.util.concurrent.ThreadLocalRandom;

/** The waits publishing and subscribing share: jittered backoff and a server's {@code Retry-After}. */
final class Delays {
    private Delays() {
    }

    /** A delay drawn between half of {@code full} and {@code full}, so retrying clients spread out. */
    static long jittered(long full) {
        return full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
    }

    /**
     * The {@code Retry-After} header's delay in seconds, as milliseconds, at most {@code maxSeconds};
     * 0 without one or for a form this client does not read (an HTTP date).
     */
    static long retryAfterMillis(HttpHeaders headers, long maxSeconds) {
        return headers.firstValue("Retry-After").map(value -> {
            try {
                return Math.min(maxSeconds, Long.parseLong(value.strip())) * 1000;
            } catch (NumberFormatException e) {
                return 0L;
            }
        }).orElse(0L);
    }
}
