package io.ssegateway.urlpattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UriTemplateTest {
    @Test
    void expressionsMatchWhatTheirExpansionsCanBe() {
        UriTemplate books = UriTemplate.compile("https://example.com/books/{id}");
        assertTrue(books.matches("https://example.com/books/1"));
        assertTrue(books.matches("https://example.com/books/"), "an undefined variable expands to nothing");
        assertFalse(books.matches("https://example.com/books/1/chapters"));
        assertFalse(books.matches("https://example.com/users/1"));
        assertTrue(UriTemplate.compile("https://example.com/{+path}").matches("https://example.com/a/b?c"));
        assertTrue(UriTemplate.compile("https://example.com/books{?page}").matches("https://example.com/books?page=2"));
        assertTrue(UriTemplate.compile("https://example.com/books{?page}").matches("https://example.com/books"));
        assertTrue(UriTemplate.compile("a.b(c)").matches("a.b(c)"), "literal text is quoted");
        assertFalse(UriTemplate.compile("a.b").matches("axb"));
        assertThrows(IllegalArgumentException.class, () -> UriTemplate.compile("https://example.com/{id"));
        assertThrows(IllegalArgumentException.class, () -> UriTemplate.compile("https://example.com/{}"));
    }
}
