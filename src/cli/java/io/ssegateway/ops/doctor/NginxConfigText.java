package io.ssegateway.ops.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole nginx configuration as one text, the way nginx sees it: either the output of
 * {@code nginx -T} (standard input, {@code --nginx -}), or a file whose {@code include} directives
 * are followed (globs too, relative paths against the main file's directory, as nginx resolves
 * them against its prefix, which is that directory in Debian's layout).
 */
public final class NginxConfigText {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*include\\s+([^;\\s]+)\\s*;");
    /** Deeper than any real configuration; stops an include cycle. */
    private static final int MAX_DEPTH = 16;

    private NginxConfigText() {
    }

    /** {@code nginx -T} output from {@code in}. */
    public static String fromStdin(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The file with every {@code include} replaced by what it names. */
    public static String fromFile(Path file) throws IOException {
        return expand(file.toAbsolutePath(), file.toAbsolutePath().getParent(), new HashSet<>(), 0);
    }

    private static String expand(Path file, Path base, Set<Path> open, int depth) throws IOException {
        if (depth > MAX_DEPTH || !open.add(file)) {
            return "";
        }
        String text = Files.readString(file);
        StringBuilder out = new StringBuilder();
        Matcher m = INCLUDE.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            for (Path included : resolve(base, m.group(1))) {
                out.append("\n# include ").append(included).append('\n').append(expand(included, base, open, depth + 1));
            }
            last = m.end();
        }
        out.append(text.substring(last));
        open.remove(file);
        return out.toString();
    }

    /** The files an include names: one path, or a glob's matches in name order (none is fine, as in nginx). */
    private static List<Path> resolve(Path base, String pattern) throws IOException {
        Path path = base.resolve(pattern);
        List<Path> files = new ArrayList<>();
        String name = path.getFileName().toString();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
            if (!Files.isRegularFile(path)) {
                throw new IOException("include " + pattern + ": " + path + " does not exist");
            }
            files.add(path);
            return files;
        }
        if (!Files.isDirectory(path.getParent())) {
            return files;
        }
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(path.getParent(), name)) {
            for (Path p : matches) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }
}
