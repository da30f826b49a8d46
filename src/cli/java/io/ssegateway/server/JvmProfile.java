package io.ssegateway.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The production JVM profile for a gateway started as {@code java -jar sse-gateway.jar} with no JVM
 * flags. The profile ({@code jvm/sse-gateway.args}, packed into the jar) needs about half the memory
 * per stream of the JVM's defaults, but a running JVM cannot change its collector or heap: so the
 * launching JVM starts a second one with the profile (its own JVM flags, the profile's, the same
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

    private JvmProfile() {
    }

    /** The profile's flags: the lines of its file that are neither blank nor comments. */
    static List<String> flags() throws IOException {
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
        return flags;
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
     * from a jar file, its flags chose the memory already, or an agent is loaded.
     */
    static Optional<List<String>> command(List<String> jvmFlags, String[] args) throws IOException {
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
        command.addAll(flags());
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

    private static Optional<Path> ownJar() {
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
