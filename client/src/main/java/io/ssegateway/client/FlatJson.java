package io.ssegateway.client;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the top level of a JSON object into its string, number and boolean members (as text);
 * nested objects and arrays are skipped. That is all the gateway answers with (publish answers,
 * errors, {@code gap} data, the envelope), and it keeps the client free of dependencies: a JSON
 * library would be the only one. Hand-written for that reason; anything else is refused as
 * malformed.
 */
final class FlatJson {
    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    /** The object's members, or null if {@code text} is not one JSON object. */
    static Map<String, String> read(String text) {
        if (text == null) {
            return null;
        }
        FlatJson reader = new FlatJson(text);
        try {
            Map<String, String> members = reader.object();
            reader.space();
            return reader.at == text.length() ? members : null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private Map<String, String> object() {
        expect('{');
        Map<String, String> members = new HashMap<>();
        space();
        if (peek() == '}') {
            at++;
            return members;
        }
        while (true) {
            space();
            String name = string();
            space();
            expect(':');
            space();
            String value = value();
            if (value != null) {
                members.put(name, value);
            }
            space();
            char next = text.charAt(at++);
            if (next == '}') {
                return members;
            }
            if (next != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
    }

    /** A member's value as text, or null for null, objects and arrays. */
    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '{' || c == '[') {
            skipNested();
            return null;
        }
        int start = at;
        while (at < text.length() && "+-.0123456789eEtruefalsn".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String literal = text.substring(start, at);
        if (literal.isEmpty()) {
            throw new IllegalArgumentException("expected a value");
        }
        return literal.equals("null") ? null : literal;
    }

    private void skipNested() {
        int depth = 0;
        do {
            char c = text.charAt(at);
            if (c == '"') {
                string();
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            at++;
        } while (depth > 0);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        return text.charAt(at);
    }

    private void expect(char c) {
        if (text.charAt(at++) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }
}
