package io.ssegateway.urlpattern;

import java.util.ArrayList;
import java.util.List;

/**
 * The URL Pattern standard's tokenizer (https://urlpattern.spec.whatwg.org/#tokenizing). Strict mode
 * throws on a malformed pattern; lenient mode, used to split a constructor string into components,
 * turns the offending character into an {@link Token.Type#INVALID_CHAR} token instead.
 */
final class Tokenizer {
    private final String input;
    private final boolean lenient;
    private final List<Token> tokens = new ArrayList<>();
    private int index;

    private Tokenizer(String input, boolean lenient) {
        this.input = input;
        this.lenient = lenient;
    }

    static List<Token> tokenize(String input, boolean lenient) {
        Tokenizer t = new Tokenizer(input, lenient);
        t.run();
        return t.tokens;
    }

    private void run() {
        while (index < input.length()) {
            int c = input.codePointAt(index);
            int next = index + Character.charCount(c);
            switch (c) {
                case '*' -> add(Token.Type.ASTERISK, index, next, "*");
                case '+', '?' -> add(Token.Type.OTHER_MODIFIER, index, next, Character.toString(c));
                case '\\' -> {
                    if (next >= input.length()) {
                        error(index, "a pattern must not end with a backslash");
                    } else {
                        int escaped = input.codePointAt(next);
                        add(Token.Type.ESCAPED_CHAR, index, next + Character.charCount(escaped), Character.toString(escaped));
                    }
                }
                case '{' -> add(Token.Type.OPEN, index, next, "{");
                case '}' -> add(Token.Type.CLOSE, index, next, "}");
                case ':' -> name(next);
                case '(' -> regexp(next);
                default -> add(Token.Type.CHAR, index, next, Character.toString(c));
            }
        }
        tokens.add(new Token(Token.Type.END, input.length(), ""));
    }

    private void name(int start) {
        int pos = start;
        while (pos < input.length()) {
            int c = input.codePointAt(pos);
            boolean ok = pos == start ? Character.isUnicodeIdentifierStart(c) || c == '$' || c == '_'
                : (Character.isUnicodeIdentifierPart(c) && !Character.isIdentifierIgnorable(c)) || c == '$'
                    || c == 0x200C || c == 0x200D;
            if (!ok) {
                break;
            }
            pos += Character.charCount(c);
        }
        if (pos == start) {
            error(index, "':' must be followed by a group name");
            return;
        }
        add(Token.Type.NAME, index, pos, input.substring(start, pos));
    }

    private void regexp(int start) {
        int depth = 1;
        int pos = start;
        StringBuilder value = new StringBuilder();
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c > 0x7f) {
                error(index, "a regexp group must be ASCII");
                return;
            }
            if (pos == start && c == '?') {
                error(index, "a regexp group must not start with '?'");
                return;
            }
            if (c == '\\') {
                if (pos + 1 >= input.length() || input.charAt(pos + 1) > 0x7f) {
                    error(index, "bad escape in a regexp group");
                    return;
                }
                value.append(c).append(input.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (c == ')') {
                depth--;
                if (depth == 0) {
                    pos++;
                    break;
                }
            } else if (c == '(') {
                depth++;
                if (pos + 1 >= input.length() || input.charAt(pos + 1) != '?') {
                    error(index, "a group nested in a regexp group must be non-capturing '(?'");
                    return;
                }
            }
            value.append(c);
            pos++;
        }
        if (depth != 0) {
            error(index, "unterminated regexp group");
            return;
        }
        if (value.length() == 0) {
            error(index, "empty regexp group");
            return;
        }
        add(Token.Type.REGEXP, index, pos, value.toString());
    }

    private void add(Token.Type type, int start, int next, String value) {
        tokens.add(new Token(type, start, value));
        index = next;
    }

    /** Strict: throws. Lenient: the character at {@code start} becomes an invalid-char token. */
    private void error(int start, String why) {
        if (!lenient) {
            throw new IllegalArgumentException(why + " (at " + start + ")");
        }
        int c = input.codePointAt(start);
        add(Token.Type.INVALID_CHAR, start, start + Character.charCount(c), Character.toString(c));
    }
}
