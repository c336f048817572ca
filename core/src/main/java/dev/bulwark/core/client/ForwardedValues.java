package dev.bulwark.core.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Strict, allocation-light parsers for the values found in forwarded headers. Every method reads a range {@code
 * s[from, to)} by index, never throws and never uses regular expressions. Stateless.
 */
final class ForwardedValues {

    static final String HTTP = "http";
    static final String HTTPS = "https";

    /** Longest node accepted: a bracketed IPv6 literal with an embedded IPv4 tail and a port, with room to spare. */
    private static final int MAX_NODE_LENGTH = 64;

    /** RFC 1035 section 2.3.4: 255 octets for a whole name. */
    private static final int MAX_HOST_LENGTH = 255;

    private ForwardedValues() {}

    /** The value of a host header: a validated host without port (IPv6 literals keep brackets), and a port or -1. */
    record HostAndPort(String host, int port) {}

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    static int skipOws(String s, int from, int to) {
        while (from < to && isOws(s.charAt(from))) {
            from++;
        }
        return from;
    }

    static int trimOwsEnd(String s, int from, int to) {
        while (to > from && isOws(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    static boolean isBlank(String s) {
        return skipOws(s, 0, s.length()) == s.length();
    }

    /**
     * Parses a forwarded node: an {@code X-Forwarded-For} entry or the value of a {@code for} parameter. Accepts
     * {@code 192.0.2.1}, {@code 192.0.2.1:8080}, {@code [2001:db8::1]}, {@code [2001:db8::1]:8080}, a bare {@code
     * 2001:db8::1}, and obfuscated ports ({@code :_port}, RFC 7239 section 6.3).
     *
     * @return the address, or {@code null} for anything else: {@code unknown}, obfuscated identifiers ({@code _hidden}),
     *     host names, zone ids, overlong values
     */
    static @Nullable IpAddress parseNode(String s, int from, int to) {
        if (to - from <= 0 || to - from > MAX_NODE_LENGTH) {
            return null;
        }
        if (s.charAt(from) == '[') {
            int close = IpAddress.indexOf(s, ']', from + 1, to);
            if (close < 0 || IpAddress.indexOf(s, ':', from + 1, close) < 0) {
                return null; // unterminated, or an IPv4 literal in brackets
            }
            if (close + 1 < to && (s.charAt(close + 1) != ':' || !isNodePort(s, close + 2, to))) {
                return null;
            }
            return IpAddress.parse(s, from + 1, close);
        }
        int colon = IpAddress.indexOf(s, ':', from, to);
        if (colon >= 0 && IpAddress.indexOf(s, ':', colon + 1, to) < 0) {
            // exactly one colon: an IPv4 address with a port
            return isNodePort(s, colon + 1, to) ? IpAddress.parse(s, from, colon) : null;
        }
        return IpAddress.parse(s, from, to); // an IPv4 address, or a bare IPv6 address (no port possible)
    }

    /** Returns whether the range is a port of a node: 1 to 5 digits up to 65535, or an obfuscated {@code _port}. */
    private static boolean isNodePort(String s, int from, int to) {
        if (from < to && s.charAt(from) == '_') {
            if (to - from < 2) {
                return false;
            }
            for (int i = from + 1; i < to; i++) {
                char c = s.charAt(i);
                boolean ok = c >= 'a' && c <= 'z'
                        || c >= 'A' && c <= 'Z'
                        || c >= '0' && c <= '9'
                        || c == '.'
                        || c == '_'
                        || c == '-';
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
        return parsePort(s, from, to, true) >= 0;
    }

    /** Returns the port in the range, 1 to 65535, or -1 when it is not 1 to 5 ASCII digits in range. */
    static int parsePort(String s, int from, int to) {
        return parsePort(s, from, to, false);
    }

    private static int parsePort(String s, int from, int to, boolean allowZero) {
        int length = to - from;
        if (length < 1 || length > 5) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > 65535 || (value == 0 && !allowZero) ? -1 : value;
    }

    /** Returns {@code http} or {@code https} when the range is one of them in any case, otherwise {@code null}. */
    static @Nullable String parseScheme(String s, int from, int to) {
        int length = to - from;
        if (length == 5 && s.regionMatches(true, from, HTTPS, 0, 5)) {
            return HTTPS;
        }
        if (length == 4 && s.regionMatches(true, from, HTTP, 0, 4)) {
            return HTTP;
        }
        return null;
    }

    /**
     * Parses a host header value: a host name ({@code A-Z a-z 0-9 - . _}, at most 255 characters, not starting with
     * {@code -} or {@code .}), an IPv4 literal or a bracketed IPv6 literal, optionally followed by {@code :port}.
     * Anything else, including whitespace and control characters such as CR and LF, is rejected.
     *
     * @return the host and port, or {@code null} when invalid
     */
    static @Nullable HostAndPort parseHost(String s, int from, int to) {
        if (to - from <= 0 || to - from > MAX_HOST_LENGTH + 6) {
            return null;
        }
        int hostEnd;
        if (s.charAt(from) == '[') {
            int close = IpAddress.indexOf(s, ']', from + 1, to);
            if (close < 0
                    || IpAddress.indexOf(s, ':', from + 1, close) < 0
                    || IpAddress.parse(s, from + 1, close) == null) {
                return null;
            }
            hostEnd = close + 1;
            if (hostEnd < to && s.charAt(hostEnd) != ':') {
                return null;
            }
        } else {
            int colon = IpAddress.indexOf(s, ':', from, to);
            hostEnd = colon < 0 ? to : colon;
            if (hostEnd - from > MAX_HOST_LENGTH || !isHostName(s, from, hostEnd)) {
                return null;
            }
        }
        int port = -1;
        if (hostEnd < to) {
            port = parsePort(s, hostEnd + 1, to);
            if (port < 0) {
                return null;
            }
        }
        return new HostAndPort(s.substring(from, hostEnd), port);
    }

    private static boolean isHostName(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        char first = s.charAt(from);
        if (first == '-' || first == '.') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '.'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Joins header lines with {@code ", "}, as RFC 9110 section 5.3 allows for list-valued fields.
     *
     * @return the joined value, or {@code null} when there is no line or the value would exceed {@code maxLength}
     */
    static @Nullable String joinAll(List<String> lines, int maxLength) {
        int n = lines.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            String line = lines.get(0);
            return line.length() <= maxLength ? line : null;
        }
        long length = 0;
        for (int i = 0; i < n; i++) {
            length += lines.get(i).length() + (i > 0 ? 2 : 0);
            if (length > maxLength) {
                return null;
            }
        }
        StringBuilder sb = new StringBuilder((int) length);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(lines.get(i));
        }
        return sb.toString();
    }

    /** Returns the number of non-empty elements of a comma-separated list (quoted strings are not considered). */
    static int countElements(String list) {
        int count = 0;
        int start = 0;
        int length = list.length();
        while (start <= length) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            if (skipOws(list, start, end) < end) {
                count++;
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return count;
    }

    /**
     * Returns {@code https} when every non-empty element of the list is {@code https}, {@code http} when every element
     * is {@code http} or {@code https} but not all are {@code https}, and {@code null} when the list is empty or holds
     * anything else.
     */
    static @Nullable String commonScheme(String list) {
        boolean any = false;
        boolean allHttps = true;
        int start = 0;
        int length = list.length();
        while (true) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = skipOws(list, start, end);
            int to = trimOwsEnd(list, from, end);
            if (from < to) {
                String scheme = parseScheme(list, from, to);
                if (scheme == null) {
                    return null;
                }
                any = true;
                allHttps &= HTTPS.equals(scheme);
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        if (!any) {
            return null;
        }
        return allHttps ? HTTPS : HTTP;
    }

    /**
     * Returns the bounds of the non-empty element at {@code position} counted from the right (1 is the right-most),
     * trimmed of whitespace and packed as {@code (start << 32) | end}, or -1 when there are fewer elements.
     */
    static long elementFromRight(String list, int position) {
        int end = list.length();
        int seen = 0;
        while (end >= 0) {
            int comma = list.lastIndexOf(',', end - 1);
            int start = skipOws(list, comma + 1, end);
            int trimmedEnd = trimOwsEnd(list, start, end);
            if (start < trimmedEnd && ++seen == position) {
                return ((long) start << 32) | trimmedEnd;
            }
            if (comma < 0) {
                return -1;
            }
            end = comma;
        }
        return -1;
    }

    static int start(long bounds) {
        return (int) (bounds >>> 32);
    }

    static int end(long bounds) {
        return (int) bounds;
    }
}
