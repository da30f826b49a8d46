package io.ssegateway.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index finds exactly the holders brute force finds: every matcher tested against every topic.
 * Matchers and topics are drawn from a small vocabulary so that many match, and holders are added
 * and removed at random in between.
 */
class MatcherIndexTest {
    private static final URI HUB = URI.create("https://hub.test/.well-known/mercure");
    private static final String[] HOSTS = {"example.com", "api.example.com", "other.org"};
    private static final String[] SEGMENTS = {"books", "users", "42", "7", "x"};

    @Test
    void findsWhatTestingEveryMatcherFinds() {
        Random random = new Random(14);
        MatcherIndex<Integer> index = new MatcherIndex<>();
        Map<Integer, Matcher> holders = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            Matcher m = randomMatcher(random);
            holders.put(i, m);
            index.add(m, i);
        }
        for (int i = 0; i < 500; i++) {
            int victim = random.nextInt(2_000);
            Matcher m = holders.remove(victim);
            if (m != null) {
                index.remove(m, victim);
            }
        }
        int matched = 0;
        for (int t = 0; t < 2_000; t++) {
            String text = randomTopic(random);
            Set<Integer> expected = new HashSet<>();
            holders.forEach((holder, m) -> {
                if (m.matches(new Topic(text, HUB))) {
                    expected.add(holder);
                }
            });
            Set<Integer> found = new HashSet<>();
            index.collect(new Topic(text, HUB), found::add);
            assertEquals(expected, found, text);
            matched += expected.size();
        }
        // Not a vacuous comparison: the vocabulary makes topics match many matchers.
        org.junit.jupiter.api.Assertions.assertTrue(matched > 10_000, "matches: " + matched);
    }

    private static Matcher randomMatcher(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            return Matcher.of(Matcher.Type.EXACT, "*", HUB);
        }
        if (kind <= 3) {
            return Matcher.of(Matcher.Type.EXACT, randomTopic(r), HUB);
        }
        String host = r.nextInt(4) == 0 ? "*.example.com" : HOSTS[r.nextInt(HOSTS.length)];
        List<String> path = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            int s = r.nextInt(8);
            path.add(s < SEGMENTS.length ? SEGMENTS[s] : s == 5 ? ":id" + i : s == 6 ? "*" : ":seg" + i + "?");
        }
        String pattern = r.nextInt(6) == 0 ? "/" + String.join("/", path) : "https://" + host + "/" + String.join("/", path);
        return Matcher.of(Matcher.Type.URLPATTERN, pattern, HUB);
    }

    private static String randomTopic(Random r) {
        if (r.nextInt(8) == 0) {
            return SEGMENTS[r.nextInt(SEGMENTS.length)]; // not a URL
        }
        StringBuilder b = new StringBuilder(r.nextInt(6) == 0 ? "https://hub.test" : "https://" + HOSTS[r.nextInt(HOSTS.length)]);
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            b.append('/').append(SEGMENTS[r.nextInt(SEGMENTS.length)]);
        }
        return b.toString();
    }
}
