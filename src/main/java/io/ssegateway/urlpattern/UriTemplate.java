package io.ssegateway.urlpattern;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Matching of topics against RFC 6570 URI templates, the topic selectors of pre-standard Mercure
 * (for example {@code https://example.com/books/{id}}): a template matches the strings some
 * expansion of it could produce. Simple expressions {@code {var}} match characters that are not
 * {@code / ? #}; reserved expressions {@code {+var}} match anything; the other operators
 * ({@code # / . ; ? &}) match nothing, or their prefix followed by anything. Compiled
 * to RE2/J, so matching is linear in the topic.
 */
public final class UriTemplate {
    private final Pattern regex;

    private UriTemplate(Pattern regex) {
        this.regex = regex;
    }

    /**
     * Compiles {@code template}.
     *
     * @throws IllegalArgumentException for an unclosed or empty expression
     */
    public static UriTemplate compile(String template) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                re.append(Pattern.quote(template.substring(i)));
                break;
            }
            re.append(Pattern.quote(template.substring(i, open)));
            int close = template.indexOf('}', open);
            if (close < 0 || close == open + 1) {
                throw new IllegalArgumentException("unclosed or empty expression at " + open);
            }
            char op = template.charAt(open + 1);
            // An undefined variable expands to nothing, prefix included: every part may be empty.
            re.append(switch (op) {
                case '+' -> ".*";
                case '#', '/', '.', ';', '?', '&' -> "(?:" + Pattern.quote(Character.toString(op)) + ".*)?";
                default -> "[^/?#]*";
            });
            i = close + 1;
        }
        try {
            return new UriTemplate(Pattern.compile(re.toString(), Pattern.DOTALL));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription(), e);
        }
    }

    public boolean matches(String topic) {
        return regex.matcher(topic).matches();
    }
}
