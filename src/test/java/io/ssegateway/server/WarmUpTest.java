package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.ssegateway.ops.FileLimits;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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
    void quietlyHoldsTheRootLoggerAtErrorAndPutsItsLevelBackEvenWhenTheWorkFails() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        try {
            root.setLevel(Level.INFO);
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Logging.quietly(() -> {
                throw new IllegalStateException(root.getLevel().toString());
            }));
            assertEquals("ERROR", thrown.getMessage(), "the root level while the work ran");
            assertEquals(Level.INFO, root.getLevel());
        } finally {
            root.setLevel(before);
        }
    }
}
