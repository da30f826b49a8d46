package io.ssegateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.event.Event;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge issue, point 11, in memory mode: one-off topics leave memory once past history-max-age. */
class LocalBrokerExpiryTest {

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        long millis = 1_700_000_000_000L;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void oneOffTopicsAreForgottenAfterTheirAgeAndAResumeStillGetsItsGap() throws Exception {
        ManualClock clock = new ManualClock();
        LocalBroker broker = new LocalBroker(1000, 60_000, clock);
        long before = usedHeapAfterGc();
        Event first = null;
        for (int i = 0; i < 200_000; i++) {
            Event e = broker.publish("oneoff-" + i, null, "payload " + i, null);
            first = first == null ? e : first;
        }
        long peak = usedHeapAfterGc();
        clock.millis += 60_001;
        broker.housekeeping();
        long after = usedHeapAfterGc();
        System.out.println("memory broker heap: before " + (before >> 10) + " KB, 200,000 one-off topics "
            + (peak >> 10) + " KB, after their age " + (after >> 10) + " KB");
        assertTrue(after - before < (peak - before) / 10, "heap back near its start: " + before + " -> " + after);
        Replay replay = broker.replay(List.of("oneoff-7"), first.id(), 1 << 20);
        assertEquals(Replay.Gap.HISTORY_TRIMMED, replay.gap(), "a forgotten topic still reports its gap");
        assertEquals(0, replay.events().size());
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
