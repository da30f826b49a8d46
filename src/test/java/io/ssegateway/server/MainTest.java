package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;

/** What the shutdown hook decides before it ends the process with exit 0. */
class MainTest {
    @Test
    void aRunningFlightRecordingKeepsTheHookFromHaltingSoJfrCanWriteIt() {
        assertFalse(Main.flightRecordingActive(), "no recording in this JVM yet");
        try (Recording recording = new Recording()) {
            recording.start();
            assertTrue(Main.flightRecordingActive());
        }
        assertFalse(Main.flightRecordingActive(), "a closed recording needs no dump");
    }
}
