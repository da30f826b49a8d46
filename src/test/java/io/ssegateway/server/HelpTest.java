package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.config.Setting;
import org.junit.jupiter.api.Test;

/** {@code --help} comes from the same declarations as parsing and the README table. */
class HelpTest {

    @Test
    void helpNamesEverySettingWithItsEnvironmentVariableAndDefault() {
        String help = Main.commandLine().getUsageMessage().replaceAll("\\s+", " ");
        for (Setting s : Setting.values()) {
            assertTrue(help.contains("--" + s.key()), s.key());
            assertTrue(help.contains(s.envName() + "; default: " + (s.defaultValue().isEmpty() ? "none" : s.defaultValue())),
                s.key() + " in " + help);
            String firstWords = s.description().split(" ")[0] + " " + s.description().split(" ")[1];
            assertTrue(help.contains(firstWords), s.key() + ": " + firstWords);
        }
    }
}
