package io.ssegateway.mercure;

import io.ssegateway.urlpattern.UrlParts;
import io.ssegateway.urlpattern.UrlPattern;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the holders of the matchers that match a topic without testing every matcher: exact
 * matchers by their value, the wildcard in one set, URL patterns by their fixed host and the
 * directory of their fixed path prefix, so a topic is tested only against the patterns that could
 * match its host and path ({@code https://example.com/books/:id} is tried for topics under
 * {@code example.com/books/}, never for {@code example.com/users/…}). Identical matchers are one
 * entry, evaluated once per topic whatever number of holders share them.
 *
 * <p>{@link #add} and {@link #remove} are serialized; {@link #collect} runs concurrently with them
 * on the broker's thread and sees each holder either before or after a change.
 */
final class MatcherIndex<T> {
    private final Map<String, Set<T>> exact = new ConcurrentHashMap<>();
    private final Set<T> wildcard = ConcurrentHashMap.newKeySet();
    /** Matchers that cannot be indexed (pre-standard URI templates): tried for every topic. */
    private final Map<Matcher, Set<T>> unindexed = new ConcurrentHashMap<>();
    /** Fixed host ("" for patterns whose host varies) → fixed path directory → pattern → holders. */
    private final Map<String, Map<String, Map<Matcher, Set<T>>>> patterns = new ConcurrentHashMap<>();

    synchronized void add(Matcher matcher, T holder) {
        if (matcher.isWildcard()) {
            wildcard.add(holder);
        } else if (matcher.isExact()) {
            exact.computeIfAbsent(matcher.value(), v -> ConcurrentHashMap.newKeySet()).add(holder);
        } else if (matcher.pattern() == null) {
            unindexed.computeIfAbsent(matcher, m -> ConcurrentHashMap.newKeySet()).add(holder);
        } else {
            patterns.computeIfAbsent(hostKey(matcher.pattern()), h -> new ConcurrentHashMap<>())
                .computeIfAbsent(directory(matcher.pattern().pathPrefix()), d -> new ConcurrentHashMap<>())
                .computeIfAbsent(matcher, m -> ConcurrentHashMap.newKeySet()).add(holder);
        }
    }

    synchronized void remove(Matcher matcher, T holder) {
        if (matcher.isWildcard()) {
            wildcard.remove(holder);
        } else if (matcher.isExact()) {
            exact.computeIfPresent(matcher.value(), (v, set) -> set.remove(holder) && set.isEmpty() ? null : set);
        } else if (matcher.pattern() == null) {
            unindexed.computeIfPresent(matcher, (m, set) -> set.remove(holder) && set.isEmpty() ? null : set);
        } else {
            String host = hostKey(matcher.pattern());
            Map<String, Map<Matcher, Set<T>>> dirs = patterns.get(host);
            if (dirs == null) {
                return;
            }
            String dir = directory(matcher.pattern().pathPrefix());
            Map<Matcher, Set<T>> byMatcher = dirs.get(dir);
            if (byMatcher == null) {
                return;
            }
            byMatcher.computeIfPresent(matcher, (m, set) -> set.remove(holder) && set.isEmpty() ? null : set);
            if (byMatcher.isEmpty()) {
                dirs.remove(dir);
                if (dirs.isEmpty()) {
                    patterns.remove(host);
                }
            }
        }
    }

    /** Hands {@code to} every holder of a matcher that matches {@code topic}; a holder may come more than once. */
    void collect(Topic topic, Consumer<T> to) {
        wildcard.forEach(to);
        Set<T> same = exact.get(topic.text());
        if (same != null) {
            same.forEach(to);
        }
        tryDirectory(unindexed, topic, to);
        if (patterns.isEmpty()) {
            return;
        }
        UrlParts url = topic.url();
        if (url == null) {
            return; // not a URL: no pattern matches it
        }
        collectPatterns(patterns.get(url.host()), topic, url.path(), to);
        if (!url.host().isEmpty()) {
            collectPatterns(patterns.get(""), topic, url.path(), to);
        }
    }

    private void collectPatterns(Map<String, Map<Matcher, Set<T>>> dirs, Topic topic, String path, Consumer<T> to) {
        if (dirs == null) {
            return;
        }
        // Every directory the path lies in: "", then each prefix ending in '/'.
        tryDirectory(dirs.get(""), topic, to);
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            tryDirectory(dirs.get(path.substring(0, slash + 1)), topic, to);
        }
    }

    private void tryDirectory(Map<Matcher, Set<T>> byMatcher, Topic topic, Consumer<T> to) {
        if (byMatcher == null) {
            return;
        }
        byMatcher.forEach((matcher, holders) -> {
            if (matcher.matches(topic)) {
                holders.forEach(to);
            }
        });
    }

    private static String hostKey(UrlPattern pattern) {
        String host = pattern.fixedHost();
        return host == null ? "" : host;
    }

    /** The fixed path prefix up to and including its last '/': a directory every matching path lies in. */
    private static String directory(String pathPrefix) {
        return pathPrefix.substring(0, pathPrefix.lastIndexOf('/') + 1);
    }
}
