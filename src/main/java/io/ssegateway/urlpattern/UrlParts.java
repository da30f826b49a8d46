package io.ssegateway.urlpattern;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A URL split into the components a {@link UrlPattern} matches, canonicalized the way the WHATWG
 * URL parser would for the URLs topics are made of: scheme and host in lower case, a default port
 * left out, dot segments removed, characters outside ASCII or not allowed in their component
 * percent-encoded. Parsing uses {@link URI}; strings it cannot read as a URL reference are not URLs.
 */
public final class UrlParts {
    private final Map<Part, String> parts;

    private UrlParts(Map<Part, String> parts) {
        this.parts = parts;
    }

    /** {@code text} resolved against {@code base}, or null if it cannot be parsed as a URL reference. */
    public static UrlParts parse(String text, URI base) {
        try {
            URI uri = new URI(encodePath(text));
            if (!uri.isAbsolute()) {
                if (base == null) {
                    return null;
                }
                uri = base.resolve(uri);
            }
            return of(uri);
        } catch (URISyntaxException | IllegalArgumentException notAUrl) {
            return null;
        }
    }

    static UrlParts of(URI uri) {
        Map<Part, String> p = new EnumMap<>(Part.class);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        p.put(Part.PROTOCOL, scheme);
        if (uri.isOpaque()) {
            String ssp = uri.getRawSchemeSpecificPart();
            p.put(Part.USERNAME, "");
            p.put(Part.PASSWORD, "");
            p.put(Part.HOSTNAME, "");
            p.put(Part.PORT, "");
            p.put(Part.PATHNAME, ssp);
            p.put(Part.SEARCH, "");
        } else {
            String userInfo = uri.getRawUserInfo();
            int colon = userInfo == null ? -1 : userInfo.indexOf(':');
            p.put(Part.USERNAME, userInfo == null ? "" : colon < 0 ? userInfo : userInfo.substring(0, colon));
            p.put(Part.PASSWORD, colon < 0 ? "" : userInfo.substring(colon + 1));
            p.put(Part.HOSTNAME, uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT));
            String port = uri.getPort() < 0 ? "" : Integer.toString(uri.getPort());
            p.put(Part.PORT, port.equals(defaultPort(scheme)) ? "" : port);
            String path = uri.normalize().getRawPath();
            if ((path == null || path.isEmpty()) && defaultPort(scheme) != null) {
                path = "/";
            }
            p.put(Part.PATHNAME, path == null ? "" : path);
            p.put(Part.SEARCH, uri.getRawQuery() == null ? "" : uri.getRawQuery());
        }
        p.put(Part.HASH, uri.getRawFragment() == null ? "" : uri.getRawFragment());
        return new UrlParts(p);
    }

    /** The path component: what the reserved-namespace rule of Mercure looks at. */
    public String path() {
        return parts.get(Part.PATHNAME);
    }

    /** The host, lower case, or "" if the URL has none. */
    public String host() {
        return parts.get(Part.HOSTNAME);
    }

    String get(Part part) {
        return parts.get(part);
    }

    /** The default port of a special scheme, or null for other schemes ({@code file} has none either). */
    static String defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> "80";
            case "https", "wss" -> "443";
            case "ftp" -> "21";
            default -> null;
        };
    }

    /** Percent-encodes what a path may not hold raw: controls, space, {@code " < > ` { } |}, non-ASCII. */
    static String encodePath(String s) {
        return encode(s, " \"<>`{}|^\\");
    }

    /** Percent-encodes what a query or fragment may not hold raw. */
    static String encodeQuery(String s) {
        return encode(s, " \"<>`{}|^\\");
    }

    private static String encode(String s, String unsafe) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x20 && c < 0x7f && unsafe.indexOf(c) < 0) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            int cp = s.codePointAt(i);
            for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
            }
            i += Character.charCount(cp) - 1;
        }
        return b == null ? s : b.toString();
    }
}
