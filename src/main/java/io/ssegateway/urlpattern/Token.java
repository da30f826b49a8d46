package io.ssegateway.urlpattern;

/**
 * One token of a URL Pattern string, as the URL Pattern standard's tokenizer makes it.
 *
 * @param type  what it is
 * @param index where it starts in the pattern string
 * @param value its text: the character, the name without {@code :}, the regexp without parentheses
 */
record Token(Type type, int index, String value) {
    enum Type { OPEN, CLOSE, REGEXP, NAME, CHAR, ESCAPED_CHAR, OTHER_MODIFIER, ASTERISK, END, INVALID_CHAR }

    /** True for a literal {@code value} that has no pattern meaning here (the standard's "non-special pattern char"). */
    boolean isPlain(String c) {
        return value.equals(c) && (type == Type.CHAR || type == Type.ESCAPED_CHAR || type == Type.INVALID_CHAR);
    }
}
