package io.ssegateway.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a request's query string, and nothing else.
 *
 * <p>{@code HttpServletRequest.getParameter} also reads an
 * {@code application/x-www-form-urlencoded} body, consuming it: a publish sent with
 * {@code curl -d}, an HTML form or {@code requests.post(data=…)} would then arrive with an empty
 * body. Publishing therefore takes {@code topic} and {@code event} from here only.
 *
 * <p>Hand-written because the JDK's {@code URLDecoder} silently replaces malformed UTF-8 and bad
 * percent escapes, where a topic must be refused with a 400 instead.
 */
public final class QueryString {
    private final Map<String, List<String>> values;

    private QueryString(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Parses {@code query} (the raw query string, null for none).
     *
     * @throws IllegalArgumentException for a bad percent escape or percent-encoded bytes that are
     *                                  not UTF-8
     */
    public static QueryString parse(String query) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
        }
        return new QueryString(values);
    }

    /** The names present, in the order they first appear. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /** Every value of {@code name}, in order; empty if absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The first value of {@code name}, or null. */
    public String first(String name) {
        List<String> all = values.get(name);
        return all == null ? null : all.get(0);
    }

    private static String decode(String text) {
        return percentDecode(text, true);
    }

    /**
     * Decodes percent escapes (UTF-8) strictly; {@code +} is a space in a query or form
     * ({@code plusIsSpace}), itself in a path segment.
     *
     * @throws IllegalArgumentException for a bad escape or bytes that are not UTF-8
     */
    public static String percentDecode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && (!plusIsSpace || text.indexOf('+') < 0)) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("incomplete percent escape");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid percent escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-encoded bytes are not UTF-8");
        }
    }
}
