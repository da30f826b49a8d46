package io.ssegateway.urlpattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The URL Pattern standard's rules, one line each (pattern, URL, whether it matches), written for
 * this project from the standard's text: component defaults, modifiers, group kinds, escapes,
 * canonicalization of the URL and of the pattern, and what never matches. Every mismatch is
 * reported at once.
 */
class UrlPatternTableTest {
    private static final URI HUB = URI.create("https://hub.example.com/.well-known/mercure");

    private record Case(String pattern, String url, boolean matches) {
    }

    private static Case yes(String pattern, String url) {
        return new Case(pattern, url, true);
    }

    private static Case no(String pattern, String url) {
        return new Case(pattern, url, false);
    }

    private static final List<Case> CASES = List.of(
        // Components a pattern does not name are wildcards; those it names must match whole.
        yes("https://example.com/a", "https://example.com/a?x=1#frag"),
        no("https://example.com/a", "https://example.com/a/b"),
        no("https://example.com/a", "https://example.com/"),
        yes("https://example.com/a?x=1", "https://example.com/a?x=1"),
        no("https://example.com/a?x=1", "https://example.com/a?x=2"),
        // Scheme and host are case-insensitive in URLs; the default port is no port.
        yes("https://example.com/a", "HTTPS://Example.COM/a"),
        yes("https://example.com/a", "https://example.com:443/a"),
        no("https://example.com/a", "https://example.com:444/a"),
        yes("https://example.com:8443/a", "https://example.com:8443/a"),
        // The path is case-sensitive.
        no("https://example.com/a", "https://example.com/A"),
        // Named groups: one segment, not empty; modifiers ? + *.
        yes("https://example.com/:x", "https://example.com/anything"),
        no("https://example.com/:x", "https://example.com/a/b"),
        yes("https://example.com/a/:x?", "https://example.com/a"),
        yes("https://example.com/a/:x?", "https://example.com/a/b"),
        no("https://example.com/a/:x?", "https://example.com/a/b/c"),
        yes("https://example.com/a/:x+", "https://example.com/a/b/c"),
        no("https://example.com/a/:x+", "https://example.com/a"),
        yes("https://example.com/a/:x*", "https://example.com/a"),
        yes("https://example.com/a/:x*", "https://example.com/a/b/c"),
        // Regexp groups, named and not; they see one component only.
        yes("https://example.com/:id(\\d+)", "https://example.com/123"),
        no("https://example.com/:id(\\d+)", "https://example.com/12a"),
        yes("https://example.com/(\\d+)", "https://example.com/7"),
        yes("https://example.com/(foo|bar)", "https://example.com/bar"),
        no("https://example.com/(foo|bar)", "https://example.com/baz"),
        // The full wildcard crosses segments; in the host it crosses labels.
        yes("https://example.com/*", "https://example.com/"),
        yes("https://example.com/*", "https://example.com/a/b/c"),
        yes("https://example.com/a/*/c", "https://example.com/a/x/y/c"),
        yes("https://*.example.com/x", "https://a.b.example.com/x"),
        no("https://*.example.com/x", "https://example.com/x"),
        // Groups {…} make a part optional or repeated as one.
        yes("https://example.com/book{s}?", "https://example.com/books"),
        yes("https://example.com/book{s}?", "https://example.com/book"),
        no("https://example.com/book{s}?", "https://example.com/bookss"),
        yes("https://example.com{/:x}*", "https://example.com/a/b"),
        // Escapes make special characters plain.
        yes("https://example.com/a\\:b", "https://example.com/a:b"),
        yes("https://example.com/a\\*", "https://example.com/a*"),
        no("https://example.com/a\\*", "https://example.com/ab"),
        yes("https://example.com/a\\+", "https://example.com/a+"),
        // The URL is canonicalized before it is matched: dot segments, percent-encoding.
        yes("https://example.com/a/b", "https://example.com/a/./x/../b"),
        yes("https://example.com/caf%C3%A9", "https://example.com/café"),
        yes("https://example.com/a%20b", "https://example.com/a b"),
        // The search and hash components match only what they name.
        yes("https://example.com/a\\?*", "https://example.com/a?anything=1"),
        yes("https://example.com/a#top", "https://example.com/a#top"),
        no("https://example.com/a#top", "https://example.com/a#bottom"),
        // Another scheme, host or a non-URL topic never matches.
        no("https://example.com/*", "http://example.com/a"),
        no("https://example.com/*", "https://example.org/a"),
        no("https://example.com/*", "mailto:someone@example.com"),
        // Non-special schemes have opaque paths.
        yes("urn\\:isbn\\:*", "urn:isbn:9780441013593"),
        no("urn\\:isbn\\:*", "urn:issn:1234-5678"));

    @Test
    void everyRuleHolds() {
        List<String> wrong = new ArrayList<>();
        for (Case c : CASES) {
            boolean got;
            try {
                got = UrlPattern.compile(c.pattern(), HUB).matches(UrlParts.parse(c.url(), HUB));
            } catch (IllegalArgumentException e) {
                wrong.add(c + ": " + e.getMessage());
                continue;
            }
            if (got != c.matches()) {
                wrong.add(c + ": got " + got);
            }
        }
        assertEquals(List.of(), wrong);
    }
}
