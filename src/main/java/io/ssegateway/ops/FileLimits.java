package io.ssegateway.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's open-file limits, read from {@code /proc/self/limits} (the line
 * {@code Max open files  <soft>  <hard>  files}), or from the JVM where there is no /proc.
 */
public record FileLimits(long soft, long hard, String source) {
    public static final Path PROC_LIMITS = Path.of("/proc/self/limits");

    /** The limits of this process. */
    public static FileLimits current() {
        try {
            if (Files.isReadable(PROC_LIMITS)) {
                FileLimits parsed = parse(Files.readAllLines(PROC_LIMITS));
                if (parsed != null) {
                    return parsed;
                }
            }
        } catch (IOException e) {
            // fall back to the JVM's view below
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            return new FileLimits(max, max, "UnixOperatingSystemMXBean");
        }
        return new FileLimits(Long.MAX_VALUE, Long.MAX_VALUE, "unknown");
    }

    /** Parses {@code /proc/self/limits} text; null if it has no open-files line. */
    public static FileLimits parse(List<String> lines) {
        return parse(lines, PROC_LIMITS.toString());
    }

    /** Parses {@code /proc/<pid>/limits} text, read from {@code source}; null if it has no open-files line. */
    public static FileLimits parse(List<String> lines, String source) {
        for (String line : lines) {
            if (line.startsWith("Max open files")) {
                String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                if (parts.length >= 2) {
                    return new FileLimits(number(parts[0]), number(parts[1]), source);
                }
            }
        }
        return null;
    }

    private static long number(String text) {
        return "unlimited".equals(text) ? Long.MAX_VALUE : Long.parseLong(text);
    }
}
