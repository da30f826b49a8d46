package io.ssegateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;

/**
 * Reads a process's resident memory and CPU time from /proc, so the gateway is measured alone. A
 * process's figures include its descendants': a plain {@code java -jar} runs the gateway in a
 * second JVM with the production profile ({@code JvmProfile}), and what the user pays is both.
 */
final class ProcessProbe {
    /** Clock ticks per second of /proc/PID/stat times (USER_HZ; 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessProbe() {
    }

    /** Resident set size in bytes (VmRSS) of the process and its descendants. */
    static long rssBytes(long pid) throws IOException {
        return sumWithDescendants(pid, ProcessProbe::ownRssBytes);
    }

    /** User plus system CPU time in milliseconds of the process and its descendants. */
    static long cpuMillis(long pid) throws IOException {
        return sumWithDescendants(pid, ProcessProbe::ownCpuMillis);
    }

    /** One figure of one process, read from /proc. */
    private interface Figure {
        long of(long pid) throws IOException;
    }

    private static long sumWithDescendants(long pid, Figure figure) throws IOException {
        long[] pids = LongStream.concat(LongStream.of(pid),
            ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).mapToLong(ProcessHandle::pid)).toArray();
        long sum = 0;
        for (long each : pids) {
            sum += figure.of(each);
        }
        return sum;
    }

    private static long ownRssBytes(long pid) throws IOException {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    /** User plus system CPU time in milliseconds (fields 14 and 15 of /proc/PID/stat). */
    private static long ownCpuMillis(long pid) throws IOException {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    private static String read(Path file) throws IOException {
        // One large read: /proc files report size 0.
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(65536), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
