package io.ssegateway.urlpattern;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a URL pattern string such as {@code https://example.com/books/:id} into its component
 * pattern strings, following the standard's "parse a constructor string"
 * (https://urlpattern.spec.whatwg.org/#constructor-string-parsing). Components the string does not
 * mention are absent from the result.
 */
final class ConstructorString {
    private enum State { INIT, PROTOCOL, AUTHORITY, USERNAME, PASSWORD, HOSTNAME, PORT, PATHNAME, SEARCH, HASH, DONE }

    private final String input;
    private final List<Token> tokens;
    private final Map<Part, String> result = new EnumMap<>(Part.class);
    private State state = State.INIT;
    private int componentStart;
    private int index;
    private int increment = 1;
    private int groupDepth;
    private int ipv6Depth;
    private boolean specialScheme;

    private ConstructorString(String input) {
        this.input = input;
        this.tokens = Tokenizer.tokenize(input, true);
    }

    static Map<Part, String> parse(String input) {
        ConstructorString p = new ConstructorString(input);
        p.run();
        return p.result;
    }

    private void run() {
        while (index < tokens.size()) {
            increment = 1;
            Token token = tokens.get(index);
            if (token.type() == Token.Type.END) {
                if (state == State.INIT) {
                    rewind();
                    if (isPlain("#")) {
                        change(State.HASH, 1);
                    } else if (isSearchPrefix()) {
                        change(State.SEARCH, 1);
                    } else {
                        change(State.PATHNAME, 0);
                    }
                    index += increment;
                    continue;
                }
                if (state == State.AUTHORITY) {
                    rewind();
                    state = State.HOSTNAME;
                    index += increment;
                    continue;
                }
                change(State.DONE, 0);
                break;
            }
            if (token.type() == Token.Type.OPEN) {
                groupDepth++;
                index += increment;
                continue;
            }
            if (groupDepth > 0) {
                if (token.type() == Token.Type.CLOSE) {
                    groupDepth--;
                } else {
                    index += increment;
                    continue;
                }
            }
            step();
            index += increment;
        }
        if (result.containsKey(Part.HOSTNAME) && !result.containsKey(Part.PORT)) {
            result.put(Part.PORT, "");
        }
    }

    private void step() {
        switch (state) {
            case INIT -> {
                if (isPlain(":")) {
                    rewind();
                    state = State.PROTOCOL;
                }
            }
            case PROTOCOL -> {
                if (isPlain(":")) {
                    specialScheme = UrlPattern.matchesSpecialScheme(component());
                    State next = State.PATHNAME;
                    int skip = 1;
                    if (isPlainAt(index + 1, "/") && isPlainAt(index + 2, "/")) {
                        next = State.AUTHORITY;
                        skip = 3;
                    } else if (specialScheme) {
                        next = State.AUTHORITY;
                    }
                    change(next, skip);
                }
            }
            case AUTHORITY -> {
                if (isPlain("@")) {
                    rewind();
                    state = State.USERNAME;
                } else if (isPlain("/") || isSearchPrefix() || isPlain("#")) {
                    rewind();
                    state = State.HOSTNAME;
                }
            }
            case USERNAME -> {
                if (isPlain(":")) {
                    change(State.PASSWORD, 1);
                } else if (isPlain("@")) {
                    change(State.HOSTNAME, 1);
                }
            }
            case PASSWORD -> {
                if (isPlain("@")) {
                    change(State.HOSTNAME, 1);
                }
            }
            case HOSTNAME -> {
                if (isPlain("[")) {
                    ipv6Depth++;
                } else if (isPlain("]")) {
                    ipv6Depth--;
                } else if (isPlain(":") && ipv6Depth == 0) {
                    change(State.PORT, 1);
                } else if (isPlain("/")) {
                    change(State.PATHNAME, 0);
                } else if (isSearchPrefix()) {
                    change(State.SEARCH, 1);
                } else if (isPlain("#")) {
                    change(State.HASH, 1);
                }
            }
            case PORT -> {
                if (isPlain("/")) {
                    change(State.PATHNAME, 0);
                } else if (isSearchPrefix()) {
                    change(State.SEARCH, 1);
                } else if (isPlain("#")) {
                    change(State.HASH, 1);
                }
            }
            case PATHNAME -> {
                if (isSearchPrefix()) {
                    change(State.SEARCH, 1);
                } else if (isPlain("#")) {
                    change(State.HASH, 1);
                }
            }
            case SEARCH -> {
                if (isPlain("#")) {
                    change(State.HASH, 1);
                }
            }
            default -> {
                // HASH takes the rest; DONE is never stepped.
            }
        }
    }

    private void change(State next, int skip) {
        Part part = partOf(state);
        if (part != null) {
            result.put(part, component());
        }
        if (state != State.INIT && next != State.DONE) {
            boolean beforeHost = state.compareTo(State.PASSWORD) <= 0;
            if (beforeHost && next.compareTo(State.PORT) >= 0 && !result.containsKey(Part.HOSTNAME)) {
                result.put(Part.HOSTNAME, "");
            }
            if (state.compareTo(State.PORT) <= 0 && next.compareTo(State.SEARCH) >= 0
                && !result.containsKey(Part.PATHNAME)) {
                result.put(Part.PATHNAME, specialScheme ? "/" : "");
            }
            if (state.compareTo(State.PATHNAME) <= 0 && next == State.HASH && !result.containsKey(Part.SEARCH)) {
                result.put(Part.SEARCH, "");
            }
        }
        state = next;
        index += skip;
        componentStart = index;
        increment = 0;
    }

    private static Part partOf(State s) {
        return switch (s) {
            case PROTOCOL -> Part.PROTOCOL;
            case USERNAME -> Part.USERNAME;
            case PASSWORD -> Part.PASSWORD;
            case HOSTNAME -> Part.HOSTNAME;
            case PORT -> Part.PORT;
            case PATHNAME -> Part.PATHNAME;
            case SEARCH -> Part.SEARCH;
            case HASH -> Part.HASH;
            default -> null;
        };
    }

    private void rewind() {
        index = componentStart;
        increment = 0;
    }

    private String component() {
        int end = tokens.get(Math.min(index, tokens.size() - 1)).index();
        int start = tokens.get(componentStart).index();
        return input.substring(start, Math.max(start, end));
    }

    private boolean isPlain(String c) {
        return isPlainAt(index, c);
    }

    private boolean isPlainAt(int at, String c) {
        return at >= 0 && at < tokens.size() && tokens.get(at).isPlain(c);
    }

    private boolean isSearchPrefix() {
        if (isPlain("?")) {
            return true;
        }
        if (!"?".equals(tokens.get(index).value())) {
            return false;
        }
        if (index == 0) {
            return true;
        }
        Token.Type previous = tokens.get(index - 1).type();
        return previous != Token.Type.NAME && previous != Token.Type.REGEXP && previous != Token.Type.CLOSE
            && previous != Token.Type.ASTERISK;
    }
}
