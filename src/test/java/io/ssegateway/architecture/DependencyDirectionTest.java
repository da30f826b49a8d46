package io.ssegateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the direction of the package dependencies, along the data flow (docs/architecture.md has
 * the same table and a diagram): each package may use only the packages listed for it, so a new
 * back edge fails this test with the offending class and member named. Reads the compiled main
 * classes; tests may use anything.
 */
class DependencyDirectionTest {
    private static final String ROOT = "io.ssegateway";

    /** Package (below {@link #ROOT}) → the packages of ours it may depend on. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("event", Set.of());
        ALLOWED.put("config", Set.of());
        ALLOWED.put("http", Set.of());
        ALLOWED.put("concurrent", Set.of());
        ALLOWED.put("auth", Set.of("config", "http"));
        ALLOWED.put("broker", Set.of("event"));
        ALLOWED.put("broker.redis", Set.of("broker", "config", "event", "concurrent"));
        ALLOWED.put("broker.nats", Set.of("broker", "config", "event", "concurrent"));
        ALLOWED.put("urlpattern", Set.of());
        ALLOWED.put("hub", Set.of("broker", "event"));
        ALLOWED.put("stream", Set.of("hub", "broker", "auth", "config", "event", "http"));
        ALLOWED.put("publish", Set.of("broker", "auth", "event", "http"));
        ALLOWED.put("mercure", Set.of("stream", "publish", "hub", "broker", "auth", "config", "event", "http", "urlpattern", "concurrent"));
        ALLOWED.put("ops", Set.of("stream", "publish", "hub", "broker", "config", "http"));
        ALLOWED.put("ops.doctor", Set.of("ops"));
        ALLOWED.put("lifecycle", Set.of("ops", "mercure", "stream", "publish", "hub", "broker", "broker.redis", "broker.nats", "auth", "config",
            "event", "http", "concurrent"));
        ALLOWED.put("load", Set.of("concurrent"));
        ALLOWED.put("bench", Set.of("concurrent"));
        ALLOWED.put("server", Set.of("lifecycle", "ops", "ops.doctor", "stream", "mercure", "auth", "config", "http", "load", "bench", "concurrent"));
    }

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // This module's classes only (the gateway and its tools): the client, a separate artifact on the
        // test class path, shares the root package but not the table.
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowItOnTheDataFlow() {
        for (Map.Entry<String, Set<String>> entry : ALLOWED.entrySet()) {
            List<String> forbidden = ALLOWED.keySet().stream()
                .filter(p -> !p.equals(entry.getKey()) && !entry.getValue().contains(p))
                .map(p -> ROOT + "." + p)
                .collect(Collectors.toList());
            noClasses().that().resideInAPackage(ROOT + "." + entry.getKey())
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because(entry.getKey() + " may use only " + (entry.getValue().isEmpty() ? "no package of ours"
                    : entry.getValue()) + " (docs/architecture.md)")
                .check(main);
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void everyPackageIsInTheTable() {
        Set<String> packages = main.stream().map(c -> c.getPackageName().substring(ROOT.length() + 1))
            .collect(Collectors.toSet());
        for (String p : packages) {
            if (!ALLOWED.containsKey(p)) {
                throw new AssertionError("package " + p + " is missing from the dependency table here and in "
                    + "docs/architecture.md: say what it may use");
            }
        }
    }
}
