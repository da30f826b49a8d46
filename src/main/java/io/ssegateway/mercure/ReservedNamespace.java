package io.ssegateway.mercure;

import io.ssegateway.config.MercureSettings;
import io.ssegateway.urlpattern.UrlParts;

/**
 * The Mercure draft's reserved hub namespace: no published topic may address the hub's path or
 * anything under it (where the hub's own subscription events live), whatever its scheme or host,
 * after the path's dot segments are removed and its percent-encoded unreserved characters decoded,
 * so {@code /.well-known/%6Dercure/x} and {@code /a/../.well-known/mercure/x} are caught too.
 */
final class ReservedNamespace {
    private ReservedNamespace() {
    }

    static boolean addresses(Topic topic) {
        UrlParts url = topic.url();
        if (url == null) {
            return false; // not a URL: it cannot name a hub path
        }
        String path = removeDotSegments(decodeUnreserved(url.path()));
        return path.equals(MercureSettings.PATH) || path.startsWith(MercureSettings.PATH + "/");
    }

    private static String decodeUnreserved(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    char decoded = (char) (hi * 16 + lo);
                    if ((decoded < 0x80 && Character.isLetterOrDigit(decoded)) || "-._~".indexOf(decoded) >= 0) {
                        b.append(decoded);
                        i += 2;
                        continue;
                    }
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** RFC 3986 section 5.2.4, on a path. */
    private static String removeDotSegments(String path) {
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (s.equals("..")) {
                if (out.size() > 1) {
                    out.removeLast();
                }
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(s);
            }
        }
        return String.join("/", out);
    }
}
