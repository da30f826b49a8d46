package io.ssegateway.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The JVM's ahead-of-time cache for this jar (JDK 25 and later: JEP 483, 514 and 515): the
 * classes a node loads, already read and linked, and the method profiles of a warm-up run, so
 * that a fresh node's JIT compiles its stream paths from its start instead of during its first
 * bursts of clients. On two cores shared with the clients, 19,000 HTTP/1.1 streams connecting at
 * once to a fresh node were all open in 0.94–0.95 s with a cache against 1.38–1.48 s without
 * (docs/performance.md, "An ahead-of-time cache made from the warm-up"). A node opening a million
 * HTTP/2 streams at once did so 2.4 s slower on average with one, so a cache is made on request,
 * not by default.
 *
 * <p>{@code java -jar sse-gateway.jar aot-cache} makes it ({@link AotCacheCommand}); the launcher
 * of a plain {@code java -jar} passes it to the JVM it starts ({@link #launcherFlag}); the node
 * says at start whether its JVM maps it ({@link #status}). A cache belongs to one jar and one JDK
 * build, and to the object-header layout it was made with: the JVM checks that when it starts,
 * and runs without the cache (with an error line of its own) when it does not fit.
 */
final class AotCache {
    /** The first feature release whose JVM makes and reads an AOT cache with method profiles. */
    static final int SINCE = 25;
    /** The cache's file name beside the jar, where the launcher looks when the setting names none. */
    static final String FILE_NAME = "sse-gateway.aot";
    /** The JVM flag that reads a cache. */
    static final String READ_FLAG = "-XX:AOTCache=";
    /** The JVM flag that makes one when the JVM exits. */
    static final String WRITE_FLAG = "-XX:AOTCacheOutput=";

    private AotCache() {
    }

    /**
     * Where the cache is: the setting {@code aot-cache} if it names a file, else {@value #FILE_NAME}
     * beside {@code jar}; empty when neither is known (the gateway runs from classes, not a jar).
     */
    static Optional<Path> location(String setting, Optional<Path> jar) {
        if (!setting.isEmpty()) {
            return Optional.of(Path.of(setting).toAbsolutePath());
        }
        return jar.map(j -> j.toAbsolutePath().resolveSibling(FILE_NAME));
    }

    /**
     * The flag the launcher adds to the gateway's JVM: {@code -XX:AOTCache=} the cache, when that JVM
     * is of feature release {@value #SINCE} or later, the file exists, and the flags given to the
     * launcher set no {@code -XX:AOT…} option of their own (one that makes a cache, or
     * {@code -XX:AOTMode=off}: theirs stays the only one).
     */
    static Optional<String> launcherFlag(List<String> jvmFlags, Optional<Path> cache, int feature) {
        if (feature < SINCE || cache.isEmpty() || !Files.isRegularFile(cache.get())
            || jvmFlags.stream().map(JvmProfile::optionOf).flatMap(Optional::stream).anyMatch(option -> option.startsWith("AOT"))) {
            return Optional.empty();
        }
        return Optional.of(READ_FLAG + cache.get());
    }

    /**
     * What the launcher says of the cache, if anything: that none is made yet (at INFO: it is
     * optional), or, when the setting named it ({@code named}), that it is missing or that this JDK
     * cannot read one (at WARNING).
     */
    static Optional<Note> launcherNote(Optional<Path> cache, boolean named, int feature) {
        if (cache.isEmpty() || (Files.isRegularFile(cache.get()) && feature >= SINCE)) {
            return Optional.empty();
        }
        if (feature < SINCE) {
            return named ? Optional.of(new Note(Level.WARNING, "aot-cache " + cache.get() + " is not used: an AOT cache "
                + "needs JDK " + SINCE + " or later, and this is JDK " + feature)) : Optional.empty();
        }
        return Optional.of(new Note(named ? Level.WARNING : Level.INFO, "no AOT cache at " + cache.get()
            + ": `java -jar sse-gateway.jar aot-cache` makes one (about 20 s), with which a fresh node takes its first "
            + "burst of HTTP/1.1 clients about twice as fast (README, \"AOT cache\")"));
    }

    /** A line to log, at its level. */
    record Note(Level level, String message) {
    }

    /**
     * What a node says at start when its JVM was given a cache: whether the JVM maps it. Empty when
     * none was given (or the JVM has no such flag: before JDK 24).
     */
    static Optional<Status> status() {
        Optional<String> cache = vmOption("AOTCache");
        if (cache.isEmpty() || cache.get().isEmpty()) {
            return Optional.empty();
        }
        // A JVM that cannot use the cache it was given runs without sharing any classes at all.
        boolean mapped = String.valueOf(System.getProperty("java.vm.info")).contains("sharing");
        return Optional.of(new Status(cache.get(), mapped));
    }

    /** The cache a node's JVM was given, and whether the JVM maps it. */
    record Status(String file, boolean inUse) {
        /** The line the node logs. */
        Note note() {
            return inUse
                ? new Note(Level.INFO, "AOT cache " + file + " in use")
                : new Note(Level.WARNING, "AOT cache " + file + " not used: the JVM's lines above say why (most often a cache made for another "
                    + "jar or JDK, or with other object headers); `java -jar sse-gateway.jar aot-cache` makes one for this "
                    + "jar and JDK");
        }
    }

    private static Optional<String> vmOption(String name) {
        try {
            return Optional.of(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue());
        } catch (IllegalArgumentException noSuchOption) {
            return Optional.empty();
        }
    }
}
