package io.ssegateway.server;

import io.ssegateway.ops.YoungGeneration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production JVM profile for a gateway started as {@code java -jar sse-gateway.jar} with no JVM
 * flags. The profile ({@code jvm/sse-gateway.args}, packed into the jar) needs about half the memory
 * per stream of the JVM's defaults, but a running JVM cannot change its collector or heap: so the
 * launching JVM starts a second one with the profile (its own JVM flags, the profile's but for a
 * {@code -XX:} option it set itself, the profile's young generation sized for a configured
 * {@code max-streams} ({@link #youngGeneration}), compact object headers on JDK 25 and later, the same
 * jar, arguments and environment, sharing its terminal), passes SIGTERM and SIGINT on through its
 * shutdown hook and exits with the second one's status. The second JVM watches the first and
 * drains when it ends, however it ended (even SIGKILL), so it is never left behind holding the port.
 *
 * <p>It does so only from a jar file, when the setting {@code jvm-profile} is {@code auto}, when
 * the JVM's flags choose neither heap size nor collector (whoever chose them keeps them: systemd's
 * unit and the image pass the profile themselves, tests pass {@code -Xmx}), and when no agent
 * (a debugger) is loaded.
 */
final class JvmProfile {
    /** The profile's file, packed next to this class. */
    static final String RESOURCE = "sse-gateway.args";
    /** Set on the second JVM: the process id of the JVM that launched it and that it watches. */
    static final String LAUNCHER_PID = "sse-gateway.launcher-pid";

    private static final System.Logger LOG = System.getLogger(JvmProfile.class.getName());
    private static final Pattern MEMORY_FLAG = Pattern.compile(
        "-Xm[xsn].*|-XX:(Max|Initial|Min)RAMPercentage=.*|-XX:MaxRAM=.*|-XX:(Max|Initial)HeapSize=.*|-XX:\\+Use\\w*GC");

    /** The profile's young generation flag, which {@link #youngGeneration} sizes for the configured streams. */
    private static final String YOUNG_FLAG = "-Xmn";
    private static final Pattern XX_FLAG = Pattern.compile("-XX:[+-]?(\\w+)(=.*)?");

    private JvmProfile() {
    }

    /**
     * Object headers of 8 bytes instead of 12 (JEP 519, a product flag from JDK 25 on; JDK 17 and
     * 21 refuse it, so the profile's file, which every JDK 17+ reads, cannot carry it). A held stream
     * is about 137 objects: at 1,000,000 HTTP/2 streams RSS per stream went from 4,705 B (JDK 17) to
     * 4,319 B, and 19,000 HTTP/1.1 streams took 660 B less heap each, at the same CPU per delivery
     * within this machine's noise (docs/performance.md, "Memory per stream: Jetty's channel cache,
     * compact headers, and the servlet layer's share").
     */
    static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";
    /** The first feature release in which {@link #COMPACT_HEADERS} is a product flag. */
    static final int COMPACT_HEADERS_SINCE = 25;

    /** The profile's flags for this JVM: {@link #flags(int)} of its feature release. */
    static List<String> flags() throws IOException {
        return flags(Runtime.version().feature());
    }

    /**
     * The profile's flags for a JVM of feature release {@code feature}: the lines of its file that
     * are neither blank nor comments, then {@link #COMPACT_HEADERS} from JDK 25 on.
     */
    static List<String> flags(int feature) throws IOException {
        List<String> flags = new ArrayList<>();
        try (InputStream in = JvmProfile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not in the jar");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                String flag = line.strip();
                if (!flag.isEmpty() && !flag.startsWith("#")) {
                    flags.add(flag);
                }
            }
        }
        if (feature >= COMPACT_HEADERS_SINCE) {
            flags.add(COMPACT_HEADERS);
        }
        return flags;
    }

    /**
     * The profile's {@code -Xmn} for a node configured for {@code configuredMaxStreams} (0: not
     * configured) on {@code memoryBytes} of memory (its container's limit, or the machine's): the
     * young generation {@link YoungGeneration} asks for, but at most a quarter of the heap the
     * profile gives (half the memory), and never less than the profile's own.
     */
    static String youngGeneration(int configuredMaxStreams, long memoryBytes) {
        long quarterOfHeap = Math.max(YoungGeneration.PROFILE_BYTES >> 20, (memoryBytes / 8) >> 20);
        return YOUNG_FLAG + Math.min(YoungGeneration.megabytesFor(configuredMaxStreams), quarterOfHeap) + "m";
    }

    /**
     * {@code jvmFlags} for a node configured for {@code configuredMaxStreams} when they are the
     * profile's file ({@code @…/sse-gateway.args}) and set no young generation of their own: with the
     * {@link #youngGeneration} for it on this machine's memory after the file. Other flags are kept as
     * they are.
     */
    static List<String> withYoungGeneration(List<String> jvmFlags, int configuredMaxStreams) {
        if (jvmFlags.stream().noneMatch(flag -> flag.endsWith(RESOURCE)) || jvmFlags.stream().anyMatch(flag -> flag.startsWith(YOUNG_FLAG))) {
            return jvmFlags;
        }
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.add(youngGeneration(configuredMaxStreams, memoryBytes()));
        return flags;
    }

    /** The memory the JVM sees: its container's limit, or the machine's. */
    private static long memoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }

    /**
     * True if {@code flag} is a {@code -XX:} option that {@code jvmFlags} set already, either way
     * ({@code -XX:-UseCompactObjectHeaders} against the profile's {@code +}): the user's stays.
     */
    static boolean setByUser(List<String> jvmFlags, String flag) {
        Optional<String> option = optionOf(flag);
        return option.isPresent() && jvmFlags.stream().map(JvmProfile::optionOf).anyMatch(option::equals);
    }

    /** The option a {@code -XX:} flag sets: {@code UseCompactObjectHeaders} of {@code -XX:+UseCompactObjectHeaders}. */
    static Optional<String> optionOf(String flag) {
        Matcher xx = XX_FLAG.matcher(flag);
        return xx.matches() ? Optional.of(xx.group(1)) : Optional.empty();
    }

    /** True if {@code jvmFlags} choose the heap's size or the collector. */
    static boolean memoryChosen(List<String> jvmFlags) {
        return jvmFlags.stream().anyMatch(flag -> MEMORY_FLAG.matcher(flag).matches());
    }

    /**
     * True if {@code jvmFlags} load a debugger or another agent: the gateway then runs in this JVM,
     * the one being debugged (a second JVM given the same agent could not bind its port).
     */
    static boolean agentLoaded(List<String> jvmFlags) {
        return jvmFlags.stream().anyMatch(flag -> flag.startsWith("-agentlib:") || flag.startsWith("-agentpath:")
            || flag.startsWith("-javaagent:") || flag.startsWith("-Xrunjdwp"));
    }

    /**
     * The command that runs the gateway under the profile, or empty if this JVM runs it itself: not
     * from a jar file, its flags chose the memory already, or an agent is loaded. It reads
     * {@code aotCache} when there is one that this JDK can read ({@link AotCache#launcherFlag}).
     */
    static Optional<List<String>> command(List<String> jvmFlags, String[] args, int configuredMaxStreams,
                                          Optional<Path> aotCache) throws IOException {
        Optional<Path> jar = ownJar();
        if (jar.isEmpty() || memoryChosen(jvmFlags) || agentLoaded(jvmFlags)) {
            return Optional.empty();
        }
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(jvmFlags);
        long memory = memoryBytes();
        for (String flag : flags()) {
            if (flag.startsWith(YOUNG_FLAG)) {
                command.add(youngGeneration(configuredMaxStreams, memory));
            } else if (!setByUser(jvmFlags, flag)) {
                command.add(flag);
            }
        }
        AotCache.launcherFlag(jvmFlags, aotCache, Runtime.version().feature()).ifPresent(command::add);
        command.add("-D" + LAUNCHER_PID + "=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(jar.get().toString());
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /**
     * Runs {@code command} on this terminal and waits for it; a SIGTERM or SIGINT to this JVM is
     * passed on (and waited for) by a shutdown hook.
     *
     * @return its exit status
     */
    static int run(List<String> command) throws IOException, InterruptedException {
        LOG.log(Level.INFO, "running the gateway in a JVM with the production profile (jvm/sse-gateway.args); "
            + "--jvm-profile off runs it in this one");
        Process gateway = new ProcessBuilder(command).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.destroy(); // SIGTERM: it drains
            try {
                // Its status is ours (0 after a clean drain), not the JVM's 143 for the signal.
                Runtime.getRuntime().halt(gateway.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sse-launcher"));
        return gateway.waitFor();
    }

    /** In the second JVM: drains (through the shutdown hook) when the JVM that launched it ends. */
    static void watchLauncher() {
        String pid = System.getProperty(LAUNCHER_PID);
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(launcher -> {
            var unused = launcher.onExit().thenRun(JvmProfile::launcherEnded);
        }, JvmProfile::launcherEnded);
    }

    private static void launcherEnded() {
        LOG.log(Level.WARNING, "the JVM that launched this one ended; stopping");
        System.exit(0);
    }

    /** The jar this class was loaded from, if it was loaded from a jar file. */
    static Optional<Path> ownJar() {
        CodeSource source = JvmProfile.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Optional.empty();
        }
        try {
            Path where = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(where) && where.toString().endsWith(".jar") ? Optional.of(where) : Optional.empty();
        } catch (URISyntaxException | SecurityException unknown) {
            return Optional.empty();
        }
    }
}
