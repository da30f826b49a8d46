package io.ssegateway.mercure;

import io.ssegateway.urlpattern.UriTemplate;
import io.ssegateway.urlpattern.UrlPattern;
import java.net.URI;
import java.util.Objects;

/**
 * A Mercure topic matcher: {@code exact} (byte-for-byte) or {@code urlpattern} (WHATWG URL Pattern,
 * relative patterns resolved against the hub's URL); the value {@code *} matches every topic
 * whatever the type. Used both for routing (a subscriber's {@code match…} parameters) and for
 * authorization (the {@code topics} of a token's authorization details).
 */
final class Matcher {
    /** The reserved value that matches every topic. */
    static final String WILDCARD = "*";
    /** Longest matcher value accepted, against patterns built to be slow or large. */
    static final int MAX_LENGTH = 2048;

    enum Type {
        EXACT("exact"), URLPATTERN("urlpattern"),
        /** Pre-standard Mercure's URI template selectors; accepted only with {@code mercure-legacy}. */
        URITEMPLATE("uritemplate");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }

        /** The draft's type named {@code name} (case-sensitive), or null if the hub has none of that name. */
        static Type named(String name) {
            return EXACT.wireName.equals(name) ? EXACT : URLPATTERN.wireName.equals(name) ? URLPATTERN : null;
        }
    }

    private final Type type;
    private final String value;
    private final UrlPattern pattern;
    private final UriTemplate template;

    private Matcher(Type type, String value, UrlPattern pattern, UriTemplate template) {
        this.type = type;
        this.value = value;
        this.pattern = pattern;
        this.template = template;
    }

    /**
     * A matcher of {@code type} for {@code value}.
     *
     * @throws IllegalArgumentException if the value is too long, holds characters a topic may not,
     *                                  or is not a well-formed URL pattern
     */
    static Matcher of(Type type, String value, URI hubUrl) {
        Objects.requireNonNull(type, "type");
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters");
        }
        String bad = TopicRules.forbiddenCharacter(value);
        if (bad != null) {
            throw new IllegalArgumentException("holds " + bad);
        }
        if (WILDCARD.equals(value) || type == Type.EXACT) {
            return new Matcher(type, value, null, null);
        }
        if (type == Type.URITEMPLATE) {
            return new Matcher(type, value, null, UriTemplate.compile(value));
        }
        return new Matcher(type, value, UrlPattern.compile(value, hubUrl), null);
    }

    /**
     * A pre-standard topic selector: the wildcard, a URI template if it has an expression
     * ({@code {…}}), else an exact topic.
     */
    static Matcher legacy(String selector, URI hubUrl) {
        return of(selector.indexOf('{') >= 0 ? Type.URITEMPLATE : Type.EXACT, selector, hubUrl);
    }

    Type type() {
        return type;
    }

    String value() {
        return value;
    }

    boolean isWildcard() {
        return WILDCARD.equals(value);
    }

    /** The compiled pattern of a {@code urlpattern} matcher that is not the wildcard; null otherwise. */
    UrlPattern pattern() {
        return pattern;
    }

    /** True for an exact matcher (not the wildcard): it matches one topic, its value. */
    boolean isExact() {
        return pattern == null && template == null && !isWildcard();
    }

    boolean matches(Topic topic) {
        if (isWildcard()) {
            return true;
        }
        if (template != null) {
            return template.matches(topic.text());
        }
        return pattern == null ? value.equals(topic.text()) : pattern.matches(topic.url());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.type == type && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + value.hashCode();
    }

    @Override
    public String toString() {
        return type.wireName + ":" + value;
    }
}
