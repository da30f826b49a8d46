package io.ssegateway.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Outside programs run to their end, as a user runs them: exit code and everything they printed. */
public final class Processes {
    /** How a program ended: its exit code and its standard output and error, interleaved. */
    public record Ran(int exit, String output) {
    }

    private Processes() {
    }

    /** Runs {@code command} to its end; fails the test if it takes longer than {@code timeout} (and kills it). */
    public static Ran run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, String.join(" ", command) + " did not end within " + timeout);
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
