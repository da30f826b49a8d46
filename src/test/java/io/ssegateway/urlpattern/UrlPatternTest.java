package io.ssegateway.urlpattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlPatternTest {
    private static final URI HUB = URI.create("https://hub.example.com/.well-known/mercure");

    private static boolean matches(String pattern, String topic) {
        return UrlPattern.compile(pattern, HUB).matches(UrlParts.parse(topic, HUB));
    }

    @Test
    void namedGroupsMatchOneSegment() {
        assertTrue(matches("https://example.com/books/:id", "https://example.com/books/1"));
        assertTrue(matches("https://example.com/books/:id", "https://EXAMPLE.com:443/books/1?x=1#f"));
        assertFalse(matches("https://example.com/books/:id", "https://example.com/books/1/chapters"));
        assertFalse(matches("https://example.com/books/:id", "https://example.com/books/"));
        assertFalse(matches("https://example.com/books/:id", "http://example.com/books/1"));
        assertFalse(matches("https://example.com/books/:id", "https://example.com:8443/books/1"));
        assertFalse(matches("https://example.com/books/:id", "https://example.org/books/1"));
    }

    @Test
    void wildcardsModifiersRegexpsAndGroups() {
        assertTrue(matches("https://example.com/users/42/*", "https://example.com/users/42/books/1"));
        assertTrue(matches("https://example.com/books/:id?", "https://example.com/books"));
        assertTrue(matches("https://example.com/books/:id(\\d+)", "https://example.com/books/12"));
        assertFalse(matches("https://example.com/books/:id(\\d+)", "https://example.com/books/x"));
        assertTrue(matches("https://example.com/a{/b}?", "https://example.com/a"));
        assertTrue(matches("https://example.com/a{/b}?", "https://example.com/a/b"));
        assertTrue(matches("https://example.com/:seg+", "https://example.com/x/y/z"));
        assertTrue(matches("https://*.example.com/*", "https://api.example.com/x"));
        assertFalse(matches("https://*.example.com/*", "https://example.com/x"));
        assertTrue(matches("https://example.com/*\\?q=1", "https://example.com/x?q=1"));
        assertFalse(matches("https://example.com/*\\?q=1", "https://example.com/x?q=2"));
    }

    @Test
    void relativePatternsAndTopicsResolveAgainstTheHub() {
        String pattern = "/.well-known/mercure/subscriptions/exact/:topic/:subscriber";
        assertTrue(matches(pattern, "/.well-known/mercure/subscriptions/exact/foo/urn%3Auuid%3A1"));
        assertTrue(matches(pattern, "https://hub.example.com/.well-known/mercure/subscriptions/exact/foo/s"));
        assertFalse(matches(pattern, "https://other.example.com/.well-known/mercure/subscriptions/exact/foo/s"));
        assertTrue(matches("books/:id", "https://hub.example.com/.well-known/books/7"));
    }

    @Test
    void topicsThatAreNotUrlsNeverMatchAPatternThatNamesAHost() {
        assertFalse(matches("https://example.com/*", "not a url%"));
        assertTrue(matches("urn\\:isbn\\:*", "urn:isbn:0451450523"));
        assertFalse(matches("https://example.com/*", "urn:isbn:0451450523"));
    }

    @Test
    void malformedOrNonLinearPatternsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UrlPattern.compile("https://example.com/(a", HUB));
        assertThrows(IllegalArgumentException.class, () -> UrlPattern.compile("https://example.com/:id/:id", HUB));
        // A back-reference cannot be matched in linear time: RE2 refuses it.
        assertThrows(IllegalArgumentException.class, () -> UrlPattern.compile("https://example.com/((a)\\1)", HUB));
        assertThrows(IllegalArgumentException.class, () -> UrlPattern.compile("https://example.com/(?=a)", HUB));
        // 40 characters whose compiled program would not fit in the heap.
        assertThrows(IllegalArgumentException.class,
            () -> UrlPattern.compile("https://example.com/((?:(?:a{1000}){1000}){1000})", HUB));
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> UrlPattern.compile("https://example.com/(a\\{b)", HUB),
            "an escaped brace is a brace");
    }

    @Test
    void pathologicalPatternsMatchInLinearTime() {
        // (a+)+$ against "aaaa…b" backtracks exponentially on a backtracking engine.
        UrlPattern evil = UrlPattern.compile("https://example.com/((?:a+)+)", HUB);
        String topic = "https://example.com/" + "a".repeat(50_000) + "b";
        assertFalse(evil.matches(UrlParts.parse(topic, HUB)));
    }

    @Test
    void indexKeysAreTheFixedHostAndPathPrefix() {
        UrlPattern p = UrlPattern.compile("https://example.com/books/:id", HUB);
        assertEquals("example.com", p.fixedHost());
        assertEquals("/books/", p.pathPrefix());
        assertEquals(null, UrlPattern.compile("https://*.example.com/x", HUB).fixedHost());
        assertEquals("0/books", p.keySegment(), "the last fixed segment at a fixed position");
        assertEquals("2/42", UrlPattern.compile("https://example.com/:tenant/orders/42/:x", HUB).keySegment());
        assertEquals(null, UrlPattern.compile("https://example.com/:a/:b", HUB).keySegment());
        assertEquals(null, UrlPattern.compile("https://example.com/*/42", HUB).keySegment(), "* spans segments");
        assertEquals("0/a", UrlPattern.compile("https://example.com/a/:b+/42", HUB).keySegment(), "stops at +");
    }
}
