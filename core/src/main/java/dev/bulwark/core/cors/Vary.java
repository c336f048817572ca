package dev.bulwark.core.cors;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.ResponseHeaders;
import java.util.List;

/**
 * Appends tokens to a response's {@code Vary} header (RFC 9110 section 12.5.5) without replacing it or repeating a
 * token it already lists.
 *
 * <p>Tokens are compared ignoring case, as field names are case-insensitive. A response that already varies on
 * {@code *} is left alone (it varies on everything). Missing tokens are added as one more {@code Vary} field line, so
 * values written earlier by the application or another filter are kept as they are.
 *
 * <p><b>Note:</b> {@link ResponseHeaders} exposes only the first value of a header, so a token present only in a
 * second or later {@code Vary} line is not seen and may be repeated (harmless to caches, merely redundant).
 *
 * <p>Stateless and safe for concurrent use; allocates nothing when the response has no {@code Vary} yet or already
 * lists every token.
 */
public final class Vary {

    /** {@code Vary}. */
    public static final String NAME = "Vary";

    private Vary() {}

    /**
     * Adds each token of {@code tokens} that the response's {@code Vary} does not list yet.
     *
     * @param response the response headers
     * @param tokens a comma-separated list of field names, e.g. {@code Origin, Access-Control-Request-Method}
     */
    public static void append(ResponseHeaders response, String tokens) {
        requireNonNull(response, "response");
        requireNonNull(tokens, "tokens");
        List<String> lines = response.values(NAME);
        String existing = lines.isEmpty() ? null : lines.size() == 1 ? lines.get(0) : String.join(", ", lines);
        if (existing == null) {
            if (hasToken(tokens)) {
                response.add(NAME, tokens);
            }
            return;
        }
        if (contains(existing, "*", 0, 1)) {
            return;
        }
        StringBuilder missing = null;
        int len = tokens.length();
        int i = 0;
        while (i < len) {
            int comma = tokens.indexOf(',', i);
            int end = comma < 0 ? len : comma;
            int start = skipOws(tokens, i, end);
            int stop = trimOws(tokens, start, end);
            if (stop > start
                    && !contains(existing, tokens, start, stop - start)
                    && (missing == null || !contains(missing, tokens, start, stop - start))) {
                if (missing == null) {
                    missing = new StringBuilder(len);
                } else {
                    missing.append(", ");
                }
                missing.append(tokens, start, stop);
            }
            i = end + 1;
        }
        if (missing != null) {
            response.add(NAME, missing.toString());
        }
    }

    /** Returns whether the comma-separated {@code list} contains {@code token[from, from + length)}, ignoring case. */
    static boolean contains(CharSequence list, String token, int from, int length) {
        int len = list.length();
        int i = 0;
        while (i < len) {
            int end = i;
            while (end < len && list.charAt(end) != ',') {
                end++;
            }
            int start = skipOws(list, i, end);
            int stop = trimOws(list, start, end);
            if (stop - start == length && regionMatchesIgnoreCase(list, start, token, from, length)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    private static boolean hasToken(String tokens) {
        for (int i = 0; i < tokens.length(); i++) {
            char c = tokens.charAt(i);
            if (c != ',' && c != ' ' && c != '\t') {
                return true;
            }
        }
        return false;
    }

    private static boolean regionMatchesIgnoreCase(CharSequence a, int aFrom, String b, int bFrom, int length) {
        for (int k = 0; k < length; k++) {
            char x = a.charAt(aFrom + k);
            char y = b.charAt(bFrom + k);
            if (x != y && Character.toLowerCase(x) != Character.toLowerCase(y)) {
                return false;
            }
        }
        return true;
    }

    private static int skipOws(CharSequence s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimOws(CharSequence s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
