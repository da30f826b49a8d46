package io.ssegateway.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Topic patterns as used in the {@code publish} and {@code subscribe} claims and in
 * {@code private-topics}: {@code *} matches any characters except {@code /}, {@code **} matches
 * any characters, everything else matches itself. {@code news.*} matches {@code news.sport};
 * {@code user/42/**} matches {@code user/42/orders/7}; {@code **} matches every topic.
 */
public final class TopicPatterns {
    private final List<String> globs;
    private final List<Pattern> patterns;

    private TopicPatterns(List<String> globs, List<Pattern> patterns) {
        this.globs = globs;
        this.patterns = patterns;
    }

    public static TopicPatterns of(Collection<String> globs) {
        List<Pattern> compiled = new ArrayList<>();
        for (String glob : globs) {
            compiled.add(compile(glob));
        }
        return new TopicPatterns(List.copyOf(globs), List.copyOf(compiled));
    }

    public boolean matches(String topic) {
        for (Pattern p : patterns) {
            if (p.matcher(topic).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The patterns as written, for messages: {@code news.*, user/42/**}, or {@code none}. */
    public String describe() {
        return globs.isEmpty() ? "none" : String.join(", ", globs);
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
