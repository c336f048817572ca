package dev.bulwark.core.client;

import static dev.bulwark.core.client.ForwardedValues.skipOws;

import dev.bulwark.core.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One {@code forwarded-element} of an RFC 7239 {@code Forwarded} header, parsed in place: the bounds of its {@code
 * for}, {@code proto} and {@code host} values within the header text, so that nothing is copied unless it is used.
 *
 * <p>Syntax (RFC 7239 section 4): {@code pair *( ";" pair )}, {@code pair = token "=" ( token / quoted-string )};
 * parameter names are case-insensitive and must not repeat. Whitespace around {@code ;} is tolerated, as are unquoted
 * values holding {@code :}, {@code [} and {@code ]} ({@code for=192.0.2.1:80}), which some proxies send. Unknown
 * parameters are ignored. Mutable and reused by one resolution; not thread-safe.
 */
final class ForwardedElement {

    private static final int FOR = 0;
    private static final int PROTO = 1;
    private static final int HOST = 2;
    private static final int BY = 3;

    /** Start and end of each parameter's value: {@code bounds[2 * parameter]} and {@code bounds[2 * parameter + 1]}. */
    private final int[] bounds = new int[8];

    /** Bit {@code 1 << parameter} is set when the parameter is present. */
    private int present;

    /** Bit {@code 1 << parameter} is set when the parameter's quoted value holds backslash escapes. */
    private int escaped;

    /**
     * Parses the element in {@code h[from, to)}, replacing what this instance held.
     *
     * @return whether the element is well formed
     */
    boolean parse(String h, int from, int to) {
        present = 0;
        escaped = 0;
        int i = from;
        while (true) {
            i = skipOws(h, i, to);
            if (i == to) {
                return true;
            }
            if (h.charAt(i) == ';') { // an empty pair
                i++;
                continue;
            }
            int nameStart = i;
            while (i < to && Checks.isTokenChar(h.charAt(i))) {
                i++;
            }
            int nameEnd = i;
            if (nameEnd == nameStart || i == to || h.charAt(i) != '=') {
                return false;
            }
            i++;
            int valueStart;
            int valueEnd;
            boolean hasEscapes = false;
            if (i < to && h.charAt(i) == '"') {
                valueStart = ++i;
                while (true) {
                    if (i >= to) {
                        return false; // unterminated quoted-string
                    }
                    char c = h.charAt(i);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        hasEscapes = true;
                        if (++i >= to || !isQuotedChar(h.charAt(i))) {
                            return false;
                        }
                    } else if (!isQuotedChar(c)) {
                        return false;
                    }
                    i++;
                }
                valueEnd = i++;
            } else {
                valueStart = i;
                while (i < to && isValueChar(h.charAt(i))) {
                    i++;
                }
                valueEnd = i;
                if (valueEnd == valueStart) {
                    return false;
                }
            }
            i = skipOws(h, i, to);
            if (i < to) {
                if (h.charAt(i) != ';') {
                    return false;
                }
                i++;
            }
            int parameter = parameter(h, nameStart, nameEnd);
            if (parameter >= 0) {
                int bit = 1 << parameter;
                if ((present & bit) != 0) {
                    return false; // RFC 7239 section 4: a parameter must not occur twice in one element
                }
                present |= bit;
                if (hasEscapes) {
                    escaped |= bit;
                }
                bounds[2 * parameter] = valueStart;
                bounds[2 * parameter + 1] = valueEnd;
            }
        }
    }

    private static int parameter(String h, int from, int to) {
        int length = to - from;
        if (length == 3 && h.regionMatches(true, from, "for", 0, 3)) {
            return FOR;
        }
        if (length == 5 && h.regionMatches(true, from, "proto", 0, 5)) {
            return PROTO;
        }
        if (length == 4 && h.regionMatches(true, from, "host", 0, 4)) {
            return HOST;
        }
        if (length == 2 && h.regionMatches(true, from, "by", 0, 2)) {
            return BY;
        }
        return -1;
    }

    /** Returns whether the character may appear in a quoted-string (qdtext or the second half of a quoted-pair). */
    private static boolean isQuotedChar(char c) {
        return c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff);
    }

    private static boolean isValueChar(char c) {
        return Checks.isTokenChar(c) || c == ':' || c == '[' || c == ']';
    }

    /** Returns the address in the {@code for} parameter, or {@code null} when absent, unknown, obfuscated or invalid. */
    @Nullable
    IpAddress forAddress(String h) {
        if ((present & (1 << FOR)) == 0) {
            return null;
        }
        if ((escaped & (1 << FOR)) != 0) {
            String value = value(h, FOR);
            return ForwardedValues.parseNode(value, 0, value.length());
        }
        return ForwardedValues.parseNode(h, bounds[2 * FOR], bounds[2 * FOR + 1]);
    }

    /** Returns {@code http} or {@code https} from the {@code proto} parameter, or {@code null}. */
    @Nullable
    String scheme(String h) {
        if ((present & (1 << PROTO)) == 0) {
            return null;
        }
        if ((escaped & (1 << PROTO)) != 0) {
            String value = value(h, PROTO);
            return ForwardedValues.parseScheme(value, 0, value.length());
        }
        return ForwardedValues.parseScheme(h, bounds[2 * PROTO], bounds[2 * PROTO + 1]);
    }

    /** Returns the validated {@code host} parameter, or {@code null} when absent or invalid. */
    ForwardedValues.@Nullable HostAndPort host(String h) {
        if ((present & (1 << HOST)) == 0) {
            return null;
        }
        if ((escaped & (1 << HOST)) != 0) {
            String value = value(h, HOST);
            return ForwardedValues.parseHost(value, 0, value.length());
        }
        return ForwardedValues.parseHost(h, bounds[2 * HOST], bounds[2 * HOST + 1]);
    }

    /** Returns the value of a present parameter with the backslashes of quoted-pairs removed. */
    private String value(String h, int parameter) {
        return unescape(h, bounds[2 * parameter], bounds[2 * parameter + 1]);
    }

    /** Removes the backslashes of quoted-pairs from an already validated quoted-string body. */
    private static String unescape(String h, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = h.charAt(i);
            if (c == '\\' && i + 1 < to) {
                c = h.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * Returns the index of the comma that ends the element before {@code end} (scanning right to left, ignoring commas
     * inside quoted-strings), -1 when the element starts the text, or -2 when a quoted-string is not closed.
     */
    static int previousSeparator(String h, int end) {
        boolean quoted = false;
        for (int i = end - 1; i >= 0; i--) {
            char c = h.charAt(i);
            if (c == '"') {
                if (!quoted) {
                    quoted = true;
                } else {
                    int backslashes = 0;
                    for (int j = i - 1; j >= 0 && h.charAt(j) == '\\'; j--) {
                        backslashes++;
                    }
                    if ((backslashes & 1) == 0) {
                        quoted = false;
                    }
                }
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return quoted ? -2 : -1;
    }
}
