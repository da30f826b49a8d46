package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import io.ssegateway.ops.FileLimits;
import org.junit.jupiter.api.Test;

class WarmUpTest {
    private static final long MB = 1 << 20;

    @Test
    void aLargeNodeWarmsUpInFullASmallOneWithWhatItsHeapAndFileLimitAllow() {
        assertEquals(new WarmUp.Plan(10_000, 2_000), WarmUp.Plan.of(new FileLimits(20_000, 20_000, "test"), 6_000 * MB));
        // 256 MB of heap: 64 KB a stream within an eighth of it.
        assertEquals(new WarmUp.Plan(4_096, 2_000), WarmUp.Plan.of(new FileLimits(20_000, 20_000, "test"), 256 * MB));
        // A soft limit of 1,024: HTTP/1.1 rounds of 128 (two descriptors each, a quarter of the limit).
        assertEquals(new WarmUp.Plan(10_000, 128), WarmUp.Plan.of(new FileLimits(1_024, 4_096, "test"), 6_000 * MB));
        assertEquals(new WarmUp.Plan(256, 0), WarmUp.Plan.of(new FileLimits(7, 7, "test"), 16 * MB));
    }

    @Test
    void theThrowawayNodesLinesBelowErrorAreHeldBackAndNoOneElses() {
        Logging.WarmUpNodeFilter filter = new Logging.WarmUpNodeFilter();
        assertEquals(FilterReply.DENY, filter.decide(event(WarmUp.NODE_THREAD, Level.WARN)));
        assertEquals(FilterReply.DENY, filter.decide(event(WarmUp.NODE_THREAD, Level.INFO)));
        assertEquals(FilterReply.NEUTRAL, filter.decide(event(WarmUp.NODE_THREAD, Level.ERROR)), "its errors show");
        assertEquals(FilterReply.NEUTRAL, filter.decide(event("sse-warm-up", Level.INFO)), "the warm-up's own report shows");
        assertEquals(FilterReply.NEUTRAL, filter.decide(event("sse-http-12", Level.WARN)), "the node's own lines show");
    }

    private static LoggingEvent event(String thread, Level level) {
        LoggingEvent e = new LoggingEvent();
        e.setThreadName(thread);
        e.setLevel(level);
        return e;
    }
}
