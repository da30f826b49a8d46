package io.ssegateway.urlpattern;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One component of a URL pattern (protocol, hostname, pathname…) compiled to an RE2/J regular
 * expression, following the standard's "parse a pattern string" and "generate a regular
 * expression" (https://urlpattern.spec.whatwg.org/#parsing). RE2/J matches in time linear in the
 * input, so a client's pattern cannot make matching backtrack catastrophically.
 *
 * <p>Why one class of this size: it follows the standard's two algorithms step by step (parts to a
 * regular expression, parts to the fixed prefix and index keys), sharing the part list and the
 * component's encoding callback; keeping their steps side by side is what lets the next reader
 * check them against the standard.
 */
final class Component {
    private static final String FULL_WILDCARD = ".*";

    private final Pattern regex;
    /** The fixed text every match starts with (before the first group), for indexing. */
    private final String literalPrefix;
    /** True if the component is fixed text only. */
    private final boolean literal;
    private final List<Part> parts;

    private Component(Pattern regex, String literalPrefix, boolean literal, List<Part> parts) {
        this.regex = regex;
        this.literalPrefix = literalPrefix;
        this.literal = literal;
        this.parts = List.copyOf(parts);
    }

    /**
     * Compiles one component's pattern string.
     *
     * @param delimiter the segment delimiter ({@code /} for paths of special schemes, {@code .} for
     *                  hosts), or empty
     * @param prefix    the character that may precede a group and belongs to it ({@code /} for those
     *                  paths), or empty
     * @param encode    canonicalizes fixed text the way the URL parser would
     * @throws IllegalArgumentException if the pattern is malformed or its regexp groups are not RE2 syntax
     */
    static Component compile(String pattern, String delimiter, String prefix, UnaryOperator<String> encode) {
        List<Part> parts = new Parser(Tokenizer.tokenize(pattern, false), delimiter, prefix, encode).parse();
        String segment = segmentWildcard(delimiter);
        StringBuilder re = new StringBuilder("^");
        StringBuilder literal = new StringBuilder();
        boolean stillLiteral = true;
        for (Part part : parts) {
            if (part.kind == Kind.FIXED) {
                re.append(part.modifier.isEmpty() ? quote(part.value) : "(?:" + quote(part.value) + ")" + part.modifier);
                if (stillLiteral && part.modifier.isEmpty()) {
                    literal.append(part.value);
                    continue;
                }
                stillLiteral = false;
                continue;
            }
            if (stillLiteral && part.modifier.isEmpty()) {
                literal.append(part.prefix);
            }
            stillLiteral = false;
            String value = switch (part.kind) {
                case SEGMENT -> segment;
                case FULL -> FULL_WILDCARD;
                default -> part.value;
            };
            boolean once = part.modifier.isEmpty() || "?".equals(part.modifier);
            if (part.prefix.isEmpty() && part.suffix.isEmpty()) {
                re.append(once ? "(" + value + ")" + part.modifier : "((?:" + value + ")" + part.modifier + ")");
            } else if (once) {
                re.append("(?:").append(quote(part.prefix)).append('(').append(value).append(')')
                    .append(quote(part.suffix)).append(')').append(part.modifier);
            } else {
                re.append("(?:").append(quote(part.prefix)).append("((?:").append(value).append(")(?:")
                    .append(quote(part.suffix)).append(quote(part.prefix)).append("(?:").append(value).append("))*)")
                    .append(quote(part.suffix)).append(')');
                if ("*".equals(part.modifier)) {
                    re.append('?');
                }
            }
        }
        re.append('$');
        try {
            return new Component(Pattern.compile(re.toString(), Pattern.DOTALL), literal.toString(), stillLiteral, parts);
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new IllegalArgumentException("a regexp group is not supported: " + e.getDescription(), e);
        }
    }

    boolean matches(String value) {
        return regex.matcher(value).matches();
    }

    String literalPrefix() {
        return literalPrefix;
    }

    boolean isLiteral() {
        return literal;
    }

    /**
     * For a path: the {@code /}-separated segments every match has, as far as their positions are
     * fixed: the segment's text where it is fixed, null where a {@code :name} group takes exactly
     * that one segment. Stops at the first part that could take a variable number of segments (a
     * wildcard, a regexp, a modifier, a group inside a segment).
     */
    List<String> knownSegments() {
        List<String> segments = new ArrayList<>();
        StringBuilder current = null; // the fixed segment being read; null before the first '/' and after a group
        for (Part part : parts) {
            if (part.kind == Kind.FIXED && part.modifier.isEmpty()) {
                for (int i = 0; i < part.value.length(); i++) {
                    char c = part.value.charAt(i);
                    if (c == '/') {
                        if (current != null) {
                            segments.add(current.toString());
                        }
                        current = new StringBuilder();
                    } else if (current == null) {
                        return segments; // text right after a group, or a path not starting with '/'
                    } else {
                        current.append(c);
                    }
                }
            } else if (part.kind == Kind.SEGMENT && part.modifier.isEmpty() && "/".equals(part.prefix)
                && part.suffix.isEmpty()) {
                if (current != null) {
                    segments.add(current.toString());
                }
                segments.add(null);
                current = null;
            } else {
                // A part starting a new segment ends the one being read; any other leaves it unfinished.
                boolean startsSegment = part.kind == Kind.FIXED ? part.value.startsWith("/") : "/".equals(part.prefix);
                if (current != null && startsSegment) {
                    segments.add(current.toString());
                }
                return segments;
            }
        }
        if (current != null) {
            segments.add(current.toString());
        }
        return segments;
    }

    private static String segmentWildcard(String delimiter) {
        return delimiter.isEmpty() ? ".+?" : "[^" + quote(delimiter) + "]+?";
    }

    /** The standard's "escape a regexp string". */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (".+*?^${}()[]|/\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private enum Kind { FIXED, REGEXP, SEGMENT, FULL }

    /** One part of a parsed component; {@code modifier} is "", "?", "*" or "+". */
    private record Part(Kind kind, String value, String modifier, String name, String prefix, String suffix) {
    }

    /** The standard's pattern parser, over one component's tokens. */
    private static final class Parser {
        private final List<Token> tokens;
        private final String segment;
        private final String prefixChar;
        private final UnaryOperator<String> encode;
        private final List<Part> parts = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private final StringBuilder pending = new StringBuilder();
        private int index;
        private int nextNumericName;

        Parser(List<Token> tokens, String delimiter, String prefixChar, UnaryOperator<String> encode) {
            this.tokens = tokens;
            this.segment = segmentWildcard(delimiter);
            this.prefixChar = prefixChar;
            this.encode = encode;
        }

        List<Part> parse() {
            while (index < tokens.size()) {
                Token charToken = take(Token.Type.CHAR);
                Token name = take(Token.Type.NAME);
                Token regexpOrWildcard = takeRegexpOrWildcard(name);
                if (name != null || regexpOrWildcard != null) {
                    String prefix = charToken == null ? "" : charToken.value();
                    if (!prefix.isEmpty() && !prefix.equals(prefixChar)) {
                        pending.append(prefix);
                        prefix = "";
                    }
                    flushPending();
                    addPart(prefix, name, regexpOrWildcard, "", takeModifier());
                    continue;
                }
                Token fixed = charToken != null ? charToken : take(Token.Type.ESCAPED_CHAR);
                if (fixed != null) {
                    pending.append(fixed.value());
                    continue;
                }
                if (take(Token.Type.OPEN) != null) {
                    String prefix = text();
                    Token innerName = take(Token.Type.NAME);
                    Token inner = takeRegexpOrWildcard(innerName);
                    String suffix = text();
                    require(Token.Type.CLOSE);
                    addPart(prefix, innerName, inner, suffix, takeModifier());
                    continue;
                }
                flushPending();
                require(Token.Type.END);
            }
            return parts;
        }

        private void addPart(String prefix, Token name, Token regexpOrWildcard, String suffix, Token modifierToken) {
            String modifier = modifierToken == null ? "" : modifierToken.value();
            if (name == null && regexpOrWildcard == null && modifier.isEmpty()) {
                pending.append(prefix);
                return;
            }
            flushPending();
            if (name == null && regexpOrWildcard == null) {
                if (!prefix.isEmpty()) {
                    parts.add(new Part(Kind.FIXED, encode.apply(prefix), modifier, "", "", ""));
                }
                return;
            }
            String value;
            if (regexpOrWildcard == null) {
                value = segment;
            } else if (regexpOrWildcard.type() == Token.Type.ASTERISK) {
                value = FULL_WILDCARD;
            } else {
                value = regexpOrWildcard.value();
            }
            Kind kind = Kind.REGEXP;
            if (value.equals(segment)) {
                kind = Kind.SEGMENT;
                value = "";
            } else if (value.equals(FULL_WILDCARD)) {
                kind = Kind.FULL;
                value = "";
            }
            if (kind == Kind.REGEXP) {
                refuseCountedRepetition(value);
            }
            String groupName = name != null ? name.value() : Integer.toString(nextNumericName++);
            if (!names.add(groupName)) {
                throw new IllegalArgumentException("duplicate group name '" + groupName + "'");
            }
            parts.add(new Part(kind, value, modifier, groupName, encode.apply(prefix), encode.apply(suffix)));
        }

        /**
         * Counted repetition multiplies the compiled program: {@code ((a{1000}){1000}){1000}}, 40
         * characters, would take the heap. Without it a program is linear in the pattern's length.
         */
        private static void refuseCountedRepetition(String regexp) {
            for (int i = 0; i < regexp.length(); i++) {
                char c = regexp.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '{') {
                    throw new IllegalArgumentException("counted repetition ({n}) is not accepted in a regexp group; "
                        + "write \\{ for a brace");
                }
            }
        }

        private void flushPending() {
            if (pending.length() == 0) {
                return;
            }
            String encoded = encode.apply(pending.toString());
            pending.setLength(0);
            if (!encoded.isEmpty()) {
                parts.add(new Part(Kind.FIXED, encoded, "", "", "", ""));
            }
        }

        private String text() {
            StringBuilder b = new StringBuilder();
            for (Token t = takeText(); t != null; t = takeText()) {
                b.append(t.value());
            }
            return b.toString();
        }

        private Token takeText() {
            Token t = take(Token.Type.CHAR);
            return t != null ? t : take(Token.Type.ESCAPED_CHAR);
        }

        private Token takeRegexpOrWildcard(Token name) {
            Token t = take(Token.Type.REGEXP);
            return t == null && name == null ? take(Token.Type.ASTERISK) : t;
        }

        private Token takeModifier() {
            Token t = take(Token.Type.OTHER_MODIFIER);
            return t != null ? t : take(Token.Type.ASTERISK);
        }

        private Token take(Token.Type type) {
            Token t = tokens.get(index);
            if (t.type() != type) {
                return null;
            }
            index++;
            return t;
        }

        private void require(Token.Type type) {
            if (take(type) == null) {
                Token t = tokens.get(index);
                throw new IllegalArgumentException("unexpected '" + t.value() + "' at " + t.index());
            }
        }
    }
}
