package io.ssegateway.urlpattern;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A URL pattern as the WHATWG URL Pattern standard defines it (https://urlpattern.spec.whatwg.org/),
 * made from a pattern string and a base URL, without {@code ignoreCase}: {@code :name} groups,
 * {@code *} wildcards, {@code (regexp)} groups, {@code {…}} groups and the {@code ? * +} modifiers,
 * per component. Regexp groups are run by RE2/J, so only RE2 syntax is accepted (no look-around or
 * back-references) and matching time is linear in the input.
 *
 * <p>Components the pattern string does not mention match anything, except as the standard
 * inherits them from the base URL for a relative pattern ({@code /books/:id} takes the base's
 * protocol, host and port).
 */
public final class UrlPattern {
    private static final Set<String> SPECIAL = Set.of("ftp", "file", "http", "https", "ws", "wss");

    private final String source;
    private final Map<Part, Component> components;

    private UrlPattern(String source, Map<Part, Component> components) {
        this.source = source;
        this.components = components;
    }

    /**
     * Compiles {@code pattern}, resolving a relative one against {@code base}.
     *
     * @throws IllegalArgumentException if the pattern is malformed, relative without a base, or uses
     *                                  regexp syntax RE2 does not have
     */
    public static UrlPattern compile(String pattern, URI base) {
        Objects.requireNonNull(pattern, "pattern");
        Map<Part, String> init = ConstructorString.parse(pattern);
        if (!init.containsKey(Part.PROTOCOL)) {
            if (base == null) {
                throw new IllegalArgumentException("a relative pattern needs a base URL");
            }
            inheritFromBase(init, UrlParts.of(base));
        }
        for (Part p : Part.values()) {
            init.putIfAbsent(p, "*");
        }
        Component protocol = Component.compile(init.get(Part.PROTOCOL), "", "", s -> s.toLowerCase(Locale.ROOT));
        boolean special = SPECIAL.stream().anyMatch(protocol::matches);
        String defaultPort = UrlParts.defaultPort(init.get(Part.PROTOCOL));
        if (defaultPort != null && defaultPort.equals(init.get(Part.PORT))) {
            init.put(Part.PORT, "");
        }
        Map<Part, Component> compiled = new EnumMap<>(Part.class);
        compiled.put(Part.PROTOCOL, protocol);
        compiled.put(Part.USERNAME, Component.compile(init.get(Part.USERNAME), "", "", UnaryOperator.identity()));
        compiled.put(Part.PASSWORD, Component.compile(init.get(Part.PASSWORD), "", "", UnaryOperator.identity()));
        compiled.put(Part.HOSTNAME, Component.compile(init.get(Part.HOSTNAME), ".", "", s -> s.toLowerCase(Locale.ROOT)));
        compiled.put(Part.PORT, Component.compile(init.get(Part.PORT), "", "", UrlPattern::port));
        compiled.put(Part.PATHNAME, special
            ? Component.compile(init.get(Part.PATHNAME), "/", "/", UrlParts::encodePath)
            : Component.compile(init.get(Part.PATHNAME), "", "", UrlParts::encodePath));
        compiled.put(Part.SEARCH, Component.compile(init.get(Part.SEARCH), "", "", UrlParts::encodeQuery));
        compiled.put(Part.HASH, Component.compile(init.get(Part.HASH), "", "", UrlParts::encodeQuery));
        return new UrlPattern(pattern, compiled);
    }

    /** True if every component of {@code url} matches; false for null (a topic that is not a URL). */
    public boolean matches(UrlParts url) {
        if (url == null) {
            return false;
        }
        for (Part p : Part.values()) {
            if (!components.get(p).matches(url.get(p))) {
                return false;
            }
        }
        return true;
    }

    /** The host every match has, lower case, or null if the host is not fixed. */
    public String fixedHost() {
        Component host = components.get(Part.HOSTNAME);
        return host.isLiteral() ? host.literalPrefix() : null;
    }

    /**
     * The most specific fixed path segment every match has at a fixed position, as
     * {@code <position>/<text>} (positions from 0), or null if there is none: for
     * {@code /:tenant/orders/42/:x} it is {@code 2/42}. Matching paths have it at that position.
     */
    public String keySegment() {
        List<String> known = components.get(Part.PATHNAME).knownSegments();
        for (int i = known.size() - 1; i >= 0; i--) {
            if (known.get(i) != null && !known.get(i).isEmpty()) {
                return i + "/" + known.get(i);
            }
        }
        return null;
    }

    /** Fixed text every matching path starts with (possibly empty). */
    public String pathPrefix() {
        return components.get(Part.PATHNAME).literalPrefix();
    }

    @Override
    public String toString() {
        return source;
    }

    static boolean matchesSpecialScheme(String protocolPattern) {
        try {
            Component c = Component.compile(protocolPattern, "", "", s -> s.toLowerCase(Locale.ROOT));
            return SPECIAL.stream().anyMatch(c::matches);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /**
     * The standard's rules for a relative pattern: each component the pattern leaves out is taken
     * from the base as long as no earlier component was given (user name and password never are),
     * and a relative path joins the base's directory.
     */
    private static void inheritFromBase(Map<Part, String> init, UrlParts base) {
        init.put(Part.PROTOCOL, escape(base.get(Part.PROTOCOL)));
        boolean given = init.containsKey(Part.HOSTNAME);
        if (!given) {
            init.put(Part.HOSTNAME, escape(base.get(Part.HOSTNAME)));
        }
        given |= init.containsKey(Part.PORT);
        if (!given) {
            init.put(Part.PORT, escape(base.get(Part.PORT)));
        }
        String path = init.get(Part.PATHNAME);
        given |= path != null;
        if (!given) {
            init.put(Part.PATHNAME, escape(base.get(Part.PATHNAME)));
        } else if (path != null && !path.startsWith("/") && !path.startsWith("\\/") && !path.startsWith("{/")) {
            String basePath = base.get(Part.PATHNAME);
            init.put(Part.PATHNAME, escape(basePath.substring(0, basePath.lastIndexOf('/') + 1)) + path);
        }
        given |= init.containsKey(Part.SEARCH);
        if (!given) {
            init.put(Part.SEARCH, escape(base.get(Part.SEARCH)));
        }
        given |= init.containsKey(Part.HASH);
        if (!given) {
            init.put(Part.HASH, escape(base.get(Part.HASH)));
        }
    }

    /** The standard's "escape a pattern string": base URL text taken literally. */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("+*?:{}()\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String port(String fixed) {
        for (int i = 0; i < fixed.length(); i++) {
            if (fixed.charAt(i) < '0' || fixed.charAt(i) > '9') {
                throw new IllegalArgumentException("port '" + fixed + "' is not a number");
            }
        }
        return fixed;
    }
}
