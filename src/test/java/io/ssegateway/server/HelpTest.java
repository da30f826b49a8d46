package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.config.Setting;
import io.ssegateway.ops.BuildInfo;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} comes from the same declarations as parsing and the README table. */
class HelpTest {

    @Test
    void helpNamesEverySettingWithItsEnvironmentVariableAndDefault() {
        String help = Main.commandLine().getUsageMessage().replaceAll("\\s+", " ");
        for (Setting s : Setting.values()) {
            assertTrue(help.contains("--" + s.key()), s.key());
            assertTrue(help.contains(s.envName() + "; default: " + (s.defaultValue().isEmpty() ? "none" : s.defaultValue())),
                s.key() + " in " + help);
            String plain = s.description().replace("`", "");
            String firstWords = plain.split(" ")[0] + " " + plain.split(" ")[1];
            assertTrue(help.contains(firstWords), s.key() + ": " + firstWords);
        }
    }

    /** Issue 13, point 3: --version prints the version the build wrote, which the jar's manifest carries too. */
    @Test
    void versionPrintsTheBuildsVersion() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        CommandLine cli = Main.commandLine().setOut(new java.io.PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        String version = BuildInfo.version();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), "a Maven version, not a placeholder: " + version);
        assertEquals("sse-gateway " + version, out.toString().trim());
    }

    /** Issue 13, point 4: the help is grouped by concern, each setting under its group, in plain text. */
    @Test
    void helpGroupsTheSettingsByConcernInPlainText() {
        String help = Main.commandLine().getUsageMessage();
        assertTrue(!help.contains("`"), "no Markdown in a terminal");
        assertTrue(help.startsWith("Usage: sse-gateway [--config FILE]"), help.lines().findFirst().orElse(""));
        assertTrue(help.contains("--config=FILE"));
        for (Setting s : Setting.values()) {
            int heading = help.indexOf("\n" + s.group().title() + ":\n");
            assertTrue(heading >= 0, s.group().title());
            int flag = help.indexOf("--" + s.key() + "=");
            int nextHeading = java.util.Arrays.stream(Setting.Group.values()).mapToInt(g -> help.indexOf("\n" + g.title() + ":\n"))
                .filter(i -> i > heading).min().orElse(help.length());
            assertTrue(flag > heading && flag < nextHeading, s.key() + " under " + s.group().title());
        }
    }
}
