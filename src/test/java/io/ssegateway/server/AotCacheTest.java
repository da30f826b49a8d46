package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {
    @TempDir
    Path dir;

    @Test
    void theCacheIsWhereTheSettingSaysElseBesideTheJar() {
        Path jar = dir.resolve("sse-gateway.jar");
        assertEquals(Optional.of(dir.resolve("sse-gateway.aot")), AotCache.location("", Optional.of(jar)));
        assertEquals(Optional.of(Path.of("/var/cache/sse.aot")), AotCache.location("/var/cache/sse.aot", Optional.of(jar)));
        assertEquals(Optional.of(Path.of("rel.aot").toAbsolutePath()), AotCache.location("rel.aot", Optional.empty()));
        assertEquals(Optional.empty(), AotCache.location("", Optional.empty()), "from classes, not a jar: no default");
    }

    @Test
    void theLauncherPassesACacheThatExistsToAJdk25UnlessTheUserSetAnAotOption() throws Exception {
        Path cache = Files.writeString(dir.resolve("sse-gateway.aot"), "x");
        Optional<Path> at = Optional.of(cache);
        assertEquals(Optional.of("-XX:AOTCache=" + cache), AotCache.launcherFlag(List.of(), at, 25));
        assertEquals(Optional.of("-XX:AOTCache=" + cache), AotCache.launcherFlag(List.of("-Dx=y", "-XX:+UseCompactObjectHeaders"), at, 26));
        assertEquals(Optional.empty(), AotCache.launcherFlag(List.of(), at, 21), "JDK 21 has no such flag");
        assertEquals(Optional.empty(), AotCache.launcherFlag(List.of(), Optional.of(dir.resolve("none.aot")), 25));
        assertEquals(Optional.empty(), AotCache.launcherFlag(List.of(), Optional.empty(), 25));
        assertEquals(Optional.empty(), AotCache.launcherFlag(List.of("-XX:AOTMode=off"), at, 25));
        assertEquals(Optional.empty(), AotCache.launcherFlag(List.of("-XX:AOTCache=/other.aot"), at, 25));
        assertEquals(Optional.empty(), AotCache.launcherFlag(List.of("-XX:AOTCacheOutput=/new.aot"), at, 25));
    }

    @Test
    void theLauncherSaysWhenThereIsNoCacheAndWarnsOnlyOfOneThatWasNamed() throws Exception {
        Optional<Path> missing = Optional.of(dir.resolve("sse-gateway.aot"));
        assertEquals(Level.INFO, AotCache.launcherNote(missing, false, 25).orElseThrow().level());
        assertEquals(Level.WARNING, AotCache.launcherNote(missing, true, 25).orElseThrow().level());
        assertEquals(Optional.empty(), AotCache.launcherNote(missing, false, 17), "nothing to offer on JDK 17");
        AotCache.Note named17 = AotCache.launcherNote(missing, true, 17).orElseThrow();
        assertEquals(Level.WARNING, named17.level());
        assertEquals("aot-cache " + missing.get() + " is not used: an AOT cache needs JDK 25 or later, and this is JDK 17", named17.message());
        Files.writeString(missing.get(), "x");
        assertEquals(Optional.empty(), AotCache.launcherNote(missing, true, 25));
        assertEquals(Optional.empty(), AotCache.launcherNote(Optional.empty(), false, 25));
    }

    @Test
    void aNodeSaysWhetherItsJvmMapsTheCacheItWasGiven() {
        assertEquals(Level.INFO, new AotCache.Status("/a.aot", true).note().level());
        AotCache.Note unused = new AotCache.Status("/a.aot", false).note();
        assertEquals(Level.WARNING, unused.level());
        assertEquals(true, unused.message().startsWith("AOT cache /a.aot not used"));
        assertEquals(Optional.empty(), AotCache.status(), "this JVM (JDK 17) was given no cache");
    }
}
