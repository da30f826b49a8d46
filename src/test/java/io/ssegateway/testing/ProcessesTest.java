package io.ssegateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The helper that runs outside programs keeps its timeout whatever the program leaves behind. */
class ProcessesTest {
    @Test
    void aProgramsOutputAndExitCodeComeBack() throws Exception {
        Processes.Ran ran = Processes.run(List.of("bash", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertEquals(3, ran.exit());
        assertEquals("out\nerr\n", ran.output());
    }

    /** A child that outlives the program and holds its output open (a daemon, a hung helper) does not hold the test. */
    @Test
    void aHungProgramFailsAtItsTimeoutEvenWithAChildHoldingItsOutput() {
        long start = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class,
            () -> Processes.run(List.of("bash", "-c", "echo started; sleep 60 & sleep 30"), Duration.ofSeconds(1)));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(seconds < 10, "failed after " + seconds + " s");
        assertTrue(e.getMessage().contains("did not end within PT1S") && e.getMessage().contains("started"), e.getMessage());
    }

    @Test
    void aDaemonLeftRunningDoesNotHoldTheResult() throws Exception {
        long start = System.nanoTime();
        Processes.Ran ran = Processes.run(List.of("bash", "-c", "sleep 20 & echo done"), Duration.ofSeconds(10));
        assertEquals("done\n", ran.output());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10);
    }
}
