package io.ssegateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelaysTest {
    private static HttpHeaders retryAfter(String value) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(value)), (name, v) -> true);
    }

    @Test
    void aJitteredDelayLiesBetweenHalfAndAll() {
        for (int i = 0; i < 1000; i++) {
            long d = Delays.jittered(3000);
            assertTrue(d >= 1500 && d <= 3000, Long.toString(d));
        }
    }

    @Test
    void retryAfterIsReadInSecondsAndCappedBeforeItCanOverflow() {
        assertEquals(2000, Delays.retryAfterMillis(retryAfter(" 2 "), 60));
        assertEquals(60_000, Delays.retryAfterMillis(retryAfter("120"), 60));
        assertEquals(3_600_000, Delays.retryAfterMillis(retryAfter("99999999999999999"), 3_600));
        assertEquals(0, Delays.retryAfterMillis(retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), 60));
        assertEquals(0, Delays.retryAfterMillis(HttpHeaders.of(Map.of(), (name, v) -> true), 60));
    }
}
