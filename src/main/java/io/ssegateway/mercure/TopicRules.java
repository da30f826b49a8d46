package io.ssegateway.mercure;

/**
 * The characters the Mercure draft forbids in topics, matchers, ids and types: C0 and C1 controls,
 * DEL, and Unicode format characters (category Cf: bidirectional and zero-width controls, which
 * enable spoofing). Keeping them out also keeps every value to one SSE line.
 */
final class TopicRules {
    private TopicRules() {
    }

    /** A description of the first forbidden character of {@code value}, or null if it has none. */
    static String forbiddenCharacter(String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || Character.getType(cp) == Character.FORMAT) {
                return String.format("the control or format character U+%04X", cp);
            }
            if (Character.isSurrogate(value.charAt(i)) && Character.charCount(cp) == 1) {
                return "an unpaired surrogate (not UTF-8)";
            }
            i += Character.charCount(cp);
        }
        return null;
    }
}
