package io.ssegateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The young generation a node needs for its configured streams, and the start-up warning when it has less. */
class YoungGenerationTest {
    private static final long MB = 1 << 20;

    @Test
    void theProfilesSixtyFourMegabytesUntilTheStreamsNeedMore() {
        assertEquals(64, YoungGeneration.megabytesFor(0), "not configured");
        assertEquals(64, YoungGeneration.megabytesFor(19_000));
        assertEquals(64, YoungGeneration.megabytesFor(131_072), "64 MB at 512 B each");
        assertEquals(65, YoungGeneration.megabytesFor(131_073), "rounded up to a whole MB");
        assertEquals(489, YoungGeneration.megabytesFor(1_001_000));
    }

    @Test
    void aWarningOnlyForConfiguredStreamsThatNeedMoreThanTheJvmHas() {
        assertEquals(Optional.empty(), YoungGeneration.warning(0, 64 * MB), "derived from the open-file limit: no intent");
        assertEquals(Optional.empty(), YoungGeneration.warning(100_000, 63 * MB), "-Xmn64m as the JVM reports it");
        assertEquals(Optional.empty(), YoungGeneration.warning(1_001_000, 489 * MB));
        String warning = YoungGeneration.warning(1_001_000, 64 * MB).orElseThrow();
        assertTrue(warning.contains("(64 MB) is small for max-streams 1,001,000") && warning.contains("about 7 young collections")
            && warning.contains("-Xmn489m"), warning);
    }
}
