package io.ssegateway.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Runs {@code command} to its end; fails the test if it takes longer than {@code timeout} (and
     * kills it). The output goes to a file, not a pipe: reading a pipe to its end would wait for
     * every process that inherited it (a daemon the command started, a hung child), past the timeout.
     */
    public static Ran run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path output = Files.createTempFile("process-", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String printed = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
            assertTrue(ended, String.join(" ", command) + " did not end within " + timeout + ":\n" + printed);
            return new Ran(p.exitValue(), printed);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
