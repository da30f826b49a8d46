package io.ssegateway.config;

import java.util.Map;
import java.util.function.Function;

/**
 * Refuses configuration names in the gateway's namespace that name no setting. A misspelled
 * {@code SSE_HEARTBAET} would otherwise be ignored and the default used without a word; stopping
 * start-up with the closest real name is kinder than a warning nobody reads. The prefixes are the
 * gateway's own, so nothing else's names are refused; in the {@code --config} file, which is the
 * gateway's alone, every name is checked.
 */
final class UnknownNames {
    private UnknownNames() {
    }

    /**
     * @param given  names and values from one source
     * @param prefix the gateway's prefix in that source ({@code SSE_} or {@code sse.}), or empty to check
     *               every name
     * @param what   the source, for the message
     * @param nameOf a setting's name in that source
     */
    static void check(Map<String, String> given, String prefix, String what, Function<Setting, String> nameOf) {
        for (String name : given.keySet()) {
            if (!name.startsWith(prefix) || known(name, nameOf)) {
                continue;
            }
            Setting closest = null;
            int best = Integer.MAX_VALUE;
            for (Setting s : Setting.values()) {
                int d = distance(name, nameOf.apply(s));
                if (d < best) {
                    best = d;
                    closest = s;
                }
            }
            throw new ConfigException("unknown " + what + " " + name + ": no setting has that name"
                + (closest != null && best <= 3 ? "; did you mean " + nameOf.apply(closest) + "?" : "")
                + " (java -jar sse-gateway.jar --help lists them)");
        }
    }

    private static boolean known(String name, Function<Setting, String> nameOf) {
        for (Setting s : Setting.values()) {
            if (nameOf.apply(s).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Levenshtein distance: edits that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
