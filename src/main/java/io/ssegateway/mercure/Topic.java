package io.ssegateway.mercure;

import io.ssegateway.urlpattern.UrlParts;
import java.net.URI;

/**
 * A topic as matchers see it: its text (exact matching compares it byte for byte) and, parsed on
 * first use against the hub's URL, its URL components (URL patterns match those; null if the text
 * is not a URL reference). One per topic per event, shared by every matcher tested against it.
 */
final class Topic {
    private final String text;
    private final URI base;
    private UrlParts url;
    private boolean parsed;

    Topic(String text, URI base) {
        this.text = text;
        this.base = base;
    }

    String text() {
        return text;
    }

    /** The parsed URL, or null if the topic is not a URL reference. Not thread-safe: one thread per Topic. */
    UrlParts url() {
        if (!parsed) {
            url = UrlParts.parse(text, base);
            parsed = true;
        }
        return url;
    }
}
