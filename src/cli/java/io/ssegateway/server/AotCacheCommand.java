package io.ssegateway.server;

import io.ssegateway.config.ConfigException;
import io.ssegateway.ops.FileLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sse-gateway aot-cache}: makes the {@link AotCache} for this jar and this JDK (25 or
 * later). It runs the warm-up ({@link WarmUp#warmUp}: a throwaway node on an ephemeral loopback
 * port and the load generator's clients) in a second JVM started with the production profile's
 * flags for this JDK and {@code -XX:AOTCacheOutput}; that JVM writes the cache as it exits. The
 * cache is written beside its final name and moved there, so a node starting meanwhile maps the
 * old cache or the new one, never half of one. Where it goes: {@code --file}, else the setting
 * {@code aot-cache} (read as the gateway reads it), else {@value AotCache#FILE_NAME} beside the jar.
 */
@Command(name = "aot-cache", mixinStandardHelpOptions = true,
    description = "Makes the JVM's ahead-of-time cache for this jar and this JDK (25 or later): a warm-up run's classes "
        + "and method profiles, which a plain java -jar then passes to the gateway's JVM (about 20 s on two cores).")
final class AotCacheCommand implements Callable<Integer> {
    /** How long the training run may take: the warm-up's own limit is 60 s per run of clients. */
    private static final long TRAINING_MINUTES = 5;

    @Option(names = "--file", paramLabel = "FILE",
        description = "Where to write it (default: the setting aot-cache, else " + AotCache.FILE_NAME + " beside the jar).")
    Path file;

    @Option(names = "--config", paramLabel = "FILE", description = "The gateway's configuration file, if it is started with one.")
    Path config;

    /** Set on the second JVM, which runs the warm-up and exits (writing the cache). */
    @Option(names = "--training-run", hidden = true)
    boolean trainingRun;

    @Override
    public Integer call() throws Exception {
        if (trainingRun) {
            WarmUp.Outcome outcome = WarmUp.warmUp(WarmUp.Plan.of(FileLimits.current(), Runtime.getRuntime().maxMemory()));
            System.out.printf("sse-gateway aot-cache: training run: %d of %d streams got every event in %.1f s%n",
                outcome.streamsServed(), outcome.streamsAsked(), outcome.seconds());
            return outcome.streamsServed() == outcome.streamsAsked() ? 0 : 1;
        }
        int feature = Runtime.version().feature();
        if (feature < AotCache.SINCE) {
            System.err.println("sse-gateway aot-cache: an AOT cache needs JDK " + AotCache.SINCE + " or later; this java ("
                + System.getProperty("java.home") + ") is JDK " + feature);
            return 1;
        }
        Optional<Path> jar = JvmProfile.ownJar();
        Optional<String> java = ProcessHandle.current().info().command();
        if (jar.isEmpty() || java.isEmpty()) {
            System.err.println("sse-gateway aot-cache: runs from the jar only (java -jar sse-gateway.jar aot-cache)");
            return 1;
        }
        Path target;
        try {
            target = file != null ? file.toAbsolutePath()
                : AotCache.location(Main.settingsOnThisMachine(config).server().aotCache(), jar).orElseThrow();
        } catch (ConfigException e) {
            System.err.println("sse-gateway aot-cache: " + e.getMessage());
            return 1;
        }
        if (!Files.isDirectory(target.getParent()) || !Files.isWritable(target.getParent())) {
            System.err.println("sse-gateway aot-cache: cannot write " + target + ": " + target.getParent()
                + " is not a directory this user may write to (choose another with --file)");
            return 1;
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        Path log = Files.createTempFile("sse-gateway-aot-cache-", ".log");
        long start = System.nanoTime();
        try {
            int exit = train(java.get(), jar.get(), partial, log);
            if (exit != 0 || !Files.isRegularFile(partial)) {
                System.err.println("sse-gateway aot-cache: the training run " + (exit < 0 ? "took longer than "
                    + TRAINING_MINUTES + " minutes" : "exited with " + exit) + (Files.isRegularFile(partial) ? "" : " and wrote no cache")
                    + "; its output:");
                System.err.println(Files.readString(log));
                return 1;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(log);
        }
        System.out.printf("sse-gateway aot-cache: wrote %s (%d MB) in %.1f s, for %s on JDK %s. A plain java -jar %s "
                + "on this JDK passes it to the gateway's JVM%s. Started with JVM flags of your own, add %s%s and %s, the flag it was "
                + "made with. Make it again after an upgrade of the jar or the JDK: a node says at start whether its JVM uses it.%n",
            target, Files.size(target) >> 20, (System.nanoTime() - start) / 1e9, jar.get(), Runtime.version(), jar.get(),
            target.equals(AotCache.location("", jar).orElseThrow()) ? "" : " when its setting aot-cache names this file",
            AotCache.READ_FLAG, target, JvmProfile.COMPACT_HEADERS);
        return 0;
    }

    /**
     * Runs the training JVM: the profile's flags for this JDK, {@code -XX:AOTCacheOutput=output},
     * this command with {@code --training-run}; its output to {@code log}.
     *
     * @return its exit status, or -1 if it was stopped after {@value #TRAINING_MINUTES} minutes
     */
    private static int train(String java, Path jar, Path output, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JvmProfile.flags());
        command.add(AotCache.WRITE_FLAG + output);
        command.addAll(List.of("-jar", jar.toString(), "aot-cache", "--training-run"));
        Process training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!training.waitFor(TRAINING_MINUTES, TimeUnit.MINUTES)) {
            training.destroyForcibly().waitFor();
            return -1;
        }
        return training.exitValue();
    }
}
