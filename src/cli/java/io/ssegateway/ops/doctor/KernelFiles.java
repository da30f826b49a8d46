package io.ssegateway.ops.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's small text files the doctor reads: {@code /proc/sys/…} and the cgroup files. They
 * report size 0 and some kernels answer a short first read and then EOF, so each is read in one
 * bounded read ({@code Files.readString} would start with a tiny read).
 */
final class KernelFiles {
    private KernelFiles() {
    }

    /** The file's text, or null if it cannot be read. */
    static String read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    /** The first whitespace-separated word of {@code text} as a number, or null (no text, not a number). */
    static Long firstNumber(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.trim().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
