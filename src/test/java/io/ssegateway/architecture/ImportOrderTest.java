package io.ssegateway.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Imports are one sorted block (static imports first) of what the file uses, so a diff shows what a change really uses. */
class ImportOrderTest {
    /** The gateway's sources and the other modules' (the client, the starter), from the gateway module's directory. */
    private static Stream<Path> javaFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src", "client/src", "spring-boot-starter/src")) {
            try (Stream<Path> walk = Files.walk(Path.of(root))) {
                walk.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
            }
        }
        return files.stream();
    }

    @Test
    void everySourceFileHasSortedImports() throws IOException {
        List<String> unsorted = new ArrayList<>();
        try (Stream<Path> files = javaFiles()) {
            for (Path file : (Iterable<Path>) files::iterator) {
                List<String> imports = Files.readAllLines(file).stream().filter(l -> l.startsWith("import ")).toList();
                List<String> sorted = new ArrayList<>(imports.stream().filter(l -> l.startsWith("import static ")).sorted().toList());
                sorted.addAll(imports.stream().filter(l -> !l.startsWith("import static ")).sorted().toList());
                if (!imports.equals(sorted)) {
                    unsorted.add(file.toString());
                }
            }
        }
        assertTrue(unsorted.isEmpty(), "imports not sorted (static first, then the rest, each alphabetically): " + unsorted);
    }

    @Test
    void noSourceFileImportsWhatItDoesNotUse() throws IOException {
        List<String> unused = new ArrayList<>();
        java.util.regex.Pattern importLine = java.util.regex.Pattern.compile("(?m)^import (static )?[\\w.]+\\.(\\w+);$");
        try (Stream<Path> files = javaFiles()) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String text = Files.readString(file);
                String body = text.replaceAll("(?m)^import .*$", "");
                java.util.regex.Matcher m = importLine.matcher(text);
                while (m.find()) {
                    if (!java.util.regex.Pattern.compile("\\b" + m.group(2) + "\\b").matcher(body).find()) {
                        unused.add(file + ": " + m.group(2));
                    }
                }
            }
        }
        assertTrue(unused.isEmpty(), "unused imports: " + unused);
    }
}
