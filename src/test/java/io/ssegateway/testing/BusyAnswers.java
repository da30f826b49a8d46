package io.ssegateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks the answer a browser's EventSource survives: 200, one {@code server-busy} event, a retry, close. */
public final class BusyAnswers {
    private static final Pattern BODY = Pattern.compile(
        "retry: (\\d+)\nevent: server-busy\ndata: \\{\"reason\":\"([a-z-]+)\",\"retryMillis\":(\\d+)}\n\n");

    private BusyAnswers() {
    }

    /**
     * Asserts {@code r} is the busy answer for {@code reason} and returns its retry delay in ms.
     */
    public static long assertBusy(HttpResponse<String> r, String reason) {
        assertEquals(200, r.statusCode(), "a native EventSource must get 200: " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
        Matcher m = BODY.matcher(r.body());
        assertTrue(m.matches(), "busy answer body: " + r.body());
        assertEquals(reason, m.group(2));
        assertEquals(m.group(1), m.group(3), "retry: and retryMillis agree");
        return Long.parseLong(m.group(1));
    }
}
