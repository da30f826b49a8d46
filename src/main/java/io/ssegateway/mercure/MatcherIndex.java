package io.ssegateway.mercure;

import io.ssegateway.urlpattern.UrlParts;
import io.ssegateway.urlpattern.UrlPattern;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the holders of the matchers that match a topic without testing every matcher: exact
 * matchers by their value, the wildcard in one set, URL patterns by their fixed host and either
 * the most specific path segment every match has at a fixed position ({@code 42}, third, in
 * {@code https://example.com/:tenant/orders/42/:x}) or, for patterns without one, the directory of
 * their fixed path prefix. A topic is tested only against the patterns filed under its host and
 * under its own segments and directories. Identical matchers are one entry, evaluated once per
 * topic whatever number of holders share them.
 *
 * <p>{@link #add} and {@link #remove} are serialized; {@link #collect} runs concurrently with them
 * on the broker's thread and sees each holder either before or after a change.
 */
final class MatcherIndex<T> {
    private final Map<String, Set<T>> exact = new ConcurrentHashMap<>();
    private final Set<T> wildcard = ConcurrentHashMap.newKeySet();
    /** Matchers that cannot be indexed (pre-standard URI templates): tried for every topic. */
    private final Map<Matcher, Set<T>> unindexed = new ConcurrentHashMap<>();
    /**
     * URL patterns by where they are filed, {@code <host>\0s<position>/<segment>} or
     * {@code <host>\0d<directory>} ("" as host for patterns whose host varies), then by pattern.
     */
    private final Map<String, Map<Matcher, Set<T>>> patterns = new ConcurrentHashMap<>();

    synchronized void add(Matcher matcher, T holder) {
        if (matcher.isWildcard()) {
            wildcard.add(holder);
        } else if (matcher.isExact()) {
            exact.computeIfAbsent(matcher.value(), v -> ConcurrentHashMap.newKeySet()).add(holder);
        } else {
            Map<Matcher, Set<T>> file = matcher.pattern() == null ? unindexed
                : patterns.computeIfAbsent(fileOf(matcher.pattern()), f -> new ConcurrentHashMap<>());
            file.computeIfAbsent(matcher, m -> ConcurrentHashMap.newKeySet()).add(holder);
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
            String name = fileOf(matcher.pattern());
            Map<Matcher, Set<T>> file = patterns.get(name);
            if (file != null) {
                file.computeIfPresent(matcher, (m, set) -> set.remove(holder) && set.isEmpty() ? null : set);
                if (file.isEmpty()) {
                    patterns.remove(name);
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
        tryAll(unindexed, topic, to);
        if (patterns.isEmpty()) {
            return;
        }
        UrlParts url = topic.url();
        if (url == null) {
            return; // not a URL: no pattern matches it
        }
        collectFiled(url.host(), topic, url.path(), to);
        if (!url.host().isEmpty()) {
            collectFiled("", topic, url.path(), to);
        }
    }

    /** Tries the patterns filed under {@code host} and a directory or a positioned segment of {@code path}. */
    private void collectFiled(String host, Topic topic, String path, Consumer<T> to) {
        tryFile(host + "\0d", topic, to);
        int position = 0;
        for (int slash = path.indexOf('/'); slash >= 0; position++) {
            tryFile(host + "\0d" + path.substring(0, slash + 1), topic, to);
            int next = path.indexOf('/', slash + 1);
            tryFile(host + "\0s" + position + "/" + (next < 0 ? path.substring(slash + 1) : path.substring(slash + 1, next)),
                topic, to);
            slash = next;
        }
    }

    private void tryFile(String name, Topic topic, Consumer<T> to) {
        Map<Matcher, Set<T>> file = patterns.get(name);
        if (file != null) {
            tryAll(file, topic, to);
        }
    }

    private static <T> void tryAll(Map<Matcher, Set<T>> file, Topic topic, Consumer<T> to) {
        file.forEach((matcher, holders) -> {
            if (matcher.matches(topic)) {
                holders.forEach(to);
            }
        });
    }

    private static String fileOf(UrlPattern pattern) {
        String host = pattern.fixedHost() == null ? "" : pattern.fixedHost();
        String segment = pattern.keySegment();
        if (segment != null) {
            return host + "\0s" + segment;
        }
        String prefix = pattern.pathPrefix();
        return host + "\0d" + prefix.substring(0, prefix.lastIndexOf('/') + 1);
    }
}
