package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The flags the launcher of a plain {@code java -jar} gives the gateway's JVM: the profile's file,
 * its young generation sized for the configured streams, compact object headers only where the JDK
 * has them as a product flag, and never over a {@code -XX:} option the user set.
 */
class JvmProfileTest {
    @Test
    void compactObjectHeadersFromJdk25OnOnly() throws Exception {
        for (int feature : new int[] {17, 21, 24}) {
            assertFalse(JvmProfile.flags(feature).contains(JvmProfile.COMPACT_HEADERS),
                "JDK " + feature + " refuses " + JvmProfile.COMPACT_HEADERS + " (or has it experimental only)");
        }
        List<String> jdk25 = JvmProfile.flags(25);
        assertTrue(jdk25.contains(JvmProfile.COMPACT_HEADERS), jdk25.toString());
        assertEquals(JvmProfile.flags(17), jdk25.subList(0, jdk25.size() - 1), "the file's flags come first, unchanged");
        assertTrue(JvmProfile.flags(26).contains(JvmProfile.COMPACT_HEADERS));
    }

    @Test
    void theYoungGenerationFollowsTheConfiguredStreamsWithinAQuarterOfTheHeap() {
        long gb = 1L << 30;
        assertEquals("-Xmn64m", JvmProfile.youngGeneration(0, 24 * gb), "not configured: the profile's");
        assertEquals("-Xmn64m", JvmProfile.youngGeneration(19_000, 24 * gb));
        assertEquals("-Xmn489m", JvmProfile.youngGeneration(1_001_000, 24 * gb));
        assertEquals("-Xmn256m", JvmProfile.youngGeneration(1_001_000, 2 * gb), "a quarter of the 1 GB heap");
        assertEquals("-Xmn64m", JvmProfile.youngGeneration(1_001_000, gb / 4), "never less than the profile's");
    }

    @Test
    void theProfilesFileWithoutAYoungGenerationOfItsOwnGetsOneForItsStreams() {
        List<String> profile = List.of("@jvm/sse-gateway.args");
        List<String> sized = JvmProfile.withYoungGeneration(profile, 1_001_000);
        assertEquals(2, sized.size(), sized.toString());
        assertEquals(profile, sized.subList(0, 1), "after the file, so that it wins");
        assertTrue(sized.get(1).matches("-Xmn\\d+m"), sized.toString());
        List<String> chosen = List.of("@jvm/sse-gateway.args", "-Xmn128m");
        assertEquals(chosen, JvmProfile.withYoungGeneration(chosen, 1_001_000), "a young generation of the user's stays");
        List<String> lean = List.of("-Xmx512m", "-XX:+UseSerialGC");
        assertEquals(lean, JvmProfile.withYoungGeneration(lean, 1_001_000), "not the profile: left as it is");
    }

    @Test
    void aDashXxOptionTheUserSetStaysTheirs() {
        assertTrue(JvmProfile.setByUser(List.of("-XX:-UseCompactObjectHeaders"), JvmProfile.COMPACT_HEADERS));
        assertTrue(JvmProfile.setByUser(List.of("-Dx=y", "-XX:MaxTenuringThreshold=15"), "-XX:MaxTenuringThreshold=0"));
        assertFalse(JvmProfile.setByUser(List.of("-XX:+UseCompactObjectHeadersX"), JvmProfile.COMPACT_HEADERS));
        assertFalse(JvmProfile.setByUser(List.of("-Xss1m"), "-Xss256k"), "only -XX options are matched");
        assertFalse(JvmProfile.setByUser(List.of(), JvmProfile.COMPACT_HEADERS));
    }
}
