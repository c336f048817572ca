package dev.bulwark.core.cors;

import static dev.bulwark.core.internal.Checks.escape;

import dev.bulwark.core.client.IpAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Strict grammars for origins: the request side ({@link #check(String)}, allocation-free) and the configuration side
 * ({@link #parseConfigured(String, String)}, which normalizes and explains).
 *
 * <p>The request grammar is the serialized origin of RFC 6454 section 6.1 / the Fetch standard, narrowed to what a
 * browser can send: {@code scheme "://" host [":" port]}, where the host is a domain of LDH labels (plus {@code _}), or
 * an IPv4 or bracketed IPv6 literal, and the port has at most five digits without a leading zero. No user info, path,
 * query, fragment, empty label (so no trailing dot), whitespace, control or non-ASCII character. Letter case is not
 * checked here: matching is exact, so an upper-case origin is well formed but matches nothing.
 *
 * <p>Stateless and safe for concurrent use.
 */
final class Origins {

    /** Result of {@link #check}: not a serialized origin and not {@code null}. */
    static final int MALFORMED = 0;
    /** Result of {@link #check}: the opaque origin {@code null}. */
    static final int NULL = 1;
    /** Result of {@link #check}: a well-formed serialized origin. */
    static final int SERIALIZED = 2;

    /** Longest origin read: a 32-character scheme, {@code ://}, a 253-character host and {@code :65535}. */
    static final int MAX_LENGTH = 32 + 3 + 253 + 6;

    private static final int MAX_SCHEME = 32;
    private static final int MAX_HOST = 253;
    private static final int MAX_LABEL = 63;
    /** The longest IPv6 literal, {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    private static final int MAX_IPV6 = 45;

    /** Schemes whose origins are opaque: browsers serialize them as {@code null}. */
    private static final Set<String> OPAQUE_SCHEMES =
            Set.of("file", "data", "blob", "about", "javascript", "filesystem", "mailto");

    private Origins() {}

    /**
     * Classifies a request's {@code Origin} value; allocates nothing.
     *
     * @return {@link #SERIALIZED}, {@link #NULL} or {@link #MALFORMED}
     */
    static int check(String s) {
        int len = s.length();
        if (len == 4 && s.equals("null")) {
            return NULL;
        }
        if (len < 4 || len > MAX_LENGTH || !isAlpha(s.charAt(0))) {
            return MALFORMED;
        }
        int i = 1;
        while (i < len && isSchemeChar(s.charAt(i))) {
            i++;
        }
        if (i > MAX_SCHEME || !s.startsWith("://", i)) {
            return MALFORMED;
        }
        i += 3;
        int end = hostEnd(s, i, len);
        if (end < 0) {
            return MALFORMED;
        }
        if (end == len) {
            return SERIALIZED;
        }
        if (s.charAt(end) != ':') {
            return MALFORMED;
        }
        return parsePort(s, end + 1, len) >= 0 ? SERIALIZED : MALFORMED;
    }

    /** Returns the end of a well-formed host starting at {@code from}, or -1. */
    private static int hostEnd(String s, int from, int len) {
        if (from >= len) {
            return -1;
        }
        if (s.charAt(from) == '[') {
            int i = from + 1;
            int limit = Math.min(len, from + 2 + MAX_IPV6);
            while (i < limit) {
                char c = s.charAt(i);
                if (c == ']') {
                    return i - from >= 3 ? i + 1 : -1;
                }
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return -1;
                }
                i++;
            }
            return -1;
        }
        int label = 0;
        int i = from;
        while (i < len) {
            char c = s.charAt(i);
            if (c == ':') {
                break;
            }
            if (c == '.') {
                if (label == 0) {
                    return -1;
                }
                label = 0;
            } else if (isAlpha(c) || isDigit(c) || c == '-' || c == '_') {
                if (++label > MAX_LABEL) {
                    return -1;
                }
            } else {
                return -1;
            }
            i++;
        }
        return label == 0 || i - from > MAX_HOST ? -1 : i;
    }

    /** Returns the port in {@code s[from, to)} (0..65535, at most five digits, no leading zero), or -1. */
    static int parsePort(String s, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > 5 || (digits > 1 && s.charAt(from) == '0')) {
            return -1;
        }
        int port = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535 ? port : -1;
    }

    /**
     * Returns whether the origin is the request's own origin: same scheme, host (compared ignoring case, as a {@code
     * Host} header may be in any case) and port, the default port standing for an absent one. Allocates nothing. An
     * origin that is not exactly of this form is not same-origin, which only ever withholds CORS headers.
     */
    static boolean isSameOrigin(String origin, String scheme, String host, int port) {
        int sl = scheme.length();
        if (sl == 0 || !origin.startsWith(scheme) || !origin.startsWith("://", sl)) {
            return false;
        }
        int i = sl + 3;
        int hl = host.length();
        boolean bracket = hl > 0 && host.charAt(0) != '[' && host.indexOf(':') >= 0;
        if (bracket) {
            if (!origin.startsWith("[", i)) {
                return false;
            }
            i++;
        }
        if (hl == 0 || !origin.regionMatches(true, i, host, 0, hl)) {
            return false;
        }
        i += hl;
        if (bracket) {
            if (!origin.startsWith("]", i)) {
                return false;
            }
            i++;
        }
        int len = origin.length();
        if (i == len) {
            return port == defaultPort(scheme);
        }
        return origin.charAt(i) == ':' && parsePort(origin, i + 1, len) == port;
    }

    /** Returns the default port of a special scheme (WHATWG URL), or -1. */
    static int defaultPort(String scheme) {
        switch (scheme) {
            case "https":
            case "wss":
                return 443;
            case "http":
            case "ws":
                return 80;
            case "ftp":
                return 21;
            default:
                return -1;
        }
    }

    /**
     * Parses one configured allowed origin: {@code *}, an exact serialized origin, {@code scheme://*.domain[:port]}
     * or {@code scheme://host:*}. Upper case is lowered and a default port dropped, as browsers serialize them.
     *
     * @param context the prefix of error messages, e.g. {@code cors mapping 'api'}
     * @return the rule; {@link OriginRule#ANY} for {@code *}
     * @throws IllegalArgumentException naming the setting, the value and the fix
     */
    static OriginRule parseConfigured(String context, String raw) {
        String shown = escape(raw);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw fail(
                        context,
                        "allowed origin '%s' must not contain control characters (CR, LF, …); remove them",
                        shown);
            }
            if (c == ' ') {
                throw fail(
                        context, "allowed origin '%s' must not contain whitespace; list each origin separately", shown);
            }
            if (c > 0x7e) {
                throw fail(
                        context,
                        "allowed origin '%s' must be ASCII: browsers send internationalized hosts in punycode;"
                                + " write the host as its xn-- form",
                        shown);
            }
        }
        if (raw.equals("*")) {
            return OriginRule.ANY;
        }
        if (raw.isEmpty()) {
            throw fail(context, "allowed origin must not be empty; write an origin such as 'https://example.com'");
        }
        String v = raw.toLowerCase(Locale.ROOT);
        if (v.equals("null")) {
            throw fail(
                    context,
                    "allowed origin 'null' must not be allowed: browsers send it from sandboxed iframes, file: pages"
                            + " and redirects, so any attacker page can obtain it; remove it");
        }
        int sep = v.indexOf("://");
        int colon = v.indexOf(':');
        String scheme = colon > 0 ? v.substring(0, colon) : "";
        if (OPAQUE_SCHEMES.contains(scheme)) {
            throw fail(
                    context,
                    "allowed origin '%s' is an opaque origin (browsers send 'null' for %s: URLs), which any page can"
                            + " obtain; remove it",
                    shown,
                    scheme);
        }
        if (sep <= 0 || sep != colon) {
            throw fail(
                    context,
                    "allowed origin '%s' must be a serialized origin: scheme://host[:port], such as"
                            + " 'https://example.com'",
                    shown);
        }
        if (!isAlpha(scheme.charAt(0))
                || scheme.length() > MAX_SCHEME
                || !scheme.chars().allMatch(c -> isSchemeChar((char) c))) {
            throw fail(context, "allowed origin '%s' has an invalid scheme '%s'", shown, scheme);
        }
        String rest = v.substring(sep + 3);
        int at = rest.indexOf('@');
        int pathStart = indexOfAny(rest, "/?#");
        if (at >= 0 && (pathStart < 0 || at < pathStart)) {
            throw fail(
                    context,
                    "allowed origin '%s' must not contain user info ('@'): the host is what follows '@';"
                            + " write scheme://host[:port]",
                    shown);
        }
        if (pathStart >= 0) {
            String fixed = scheme + "://" + rest.substring(0, pathStart);
            if (rest.length() == pathStart + 1 && rest.charAt(pathStart) == '/') {
                throw fail(
                        context,
                        "allowed origin '%s' must not end with '/' (browsers send origins without one); use '%s'",
                        shown,
                        fixed);
            }
            throw fail(
                    context, "allowed origin '%s' must not contain a path, query or fragment; use '%s'", shown, fixed);
        }
        String host;
        String portText;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw fail(context, "allowed origin '%s' has an unclosed IPv6 host", shown);
            }
            host = rest.substring(0, close + 1);
            String after = rest.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw fail(
                        context, "allowed origin '%s' has characters after the IPv6 host; write [address]:port", shown);
            }
            portText = after.isEmpty() ? null : after.substring(1);
        } else {
            int c = rest.indexOf(':');
            host = c < 0 ? rest : rest.substring(0, c);
            portText = c < 0 ? null : rest.substring(c + 1);
        }
        if (host.isEmpty()) {
            throw fail(context, "allowed origin '%s' has an empty host; write scheme://host[:port]", shown);
        }
        int port = -1;
        boolean anyPort = false;
        if (portText != null) {
            if (portText.equals("*")) {
                anyPort = true;
            } else {
                port = parsePort(portText, 0, portText.length());
                if (port <= 0) {
                    throw fail(
                            context,
                            "allowed origin '%s' has an invalid port '%s'; use 1..65535 without leading zeros, or '*'"
                                    + " for any port",
                            shown,
                            portText);
                }
                if (port == defaultPort(scheme)) {
                    port = -1; // browsers never send the default port
                }
            }
        }
        boolean subdomains = false;
        if (host.startsWith("[")) {
            host = canonicalIpv6(context, shown, host);
        } else {
            if (host.indexOf('*') >= 0) {
                if (!host.startsWith("*.") || host.indexOf('*', 1) >= 0) {
                    throw fail(
                            context,
                            "allowed origin '%s' may use '*' only as the whole first label ('https://*.example.com',"
                                    + " one or more subdomains) or as the port ('https://example.com:*')",
                            shown);
                }
                subdomains = true;
                host = host.substring(2);
            }
            checkDomain(context, shown, host);
            if (subdomains) {
                if (isIpv4Like(host)) {
                    throw fail(context, "allowed origin '%s' puts a wildcard on an IP address; list the hosts", shown);
                }
                if (PublicSuffixList.get().isPublicSuffix(host)) {
                    throw fail(
                            context,
                            "allowed origin '%s' matches every site under the public suffix '%s', which anyone can"
                                    + " register; use a domain you own, such as 'https://*.example.%s'",
                            shown,
                            host,
                            host);
                }
            }
        }
        return new OriginRule(scheme, host, subdomains, port, anyPort);
    }

    private static String canonicalIpv6(String context, String shown, String bracketed) {
        String literal = bracketed.substring(1, bracketed.length() - 1);
        Optional<IpAddress> ip = IpAddress.parse(literal);
        if (ip.isEmpty() || literal.indexOf(':') < 0) {
            throw fail(context, "allowed origin '%s' has an invalid IPv6 host '%s'", shown, bracketed);
        }
        if (ip.get().isIpv4()) {
            throw fail(
                    context,
                    "allowed origin '%s' uses an IPv4-mapped IPv6 host; write the IPv4 address instead ('%s')",
                    shown,
                    ip.get());
        }
        return "[" + ip.get() + "]";
    }

    private static void checkDomain(String context, String shown, String host) {
        if (host.length() > MAX_HOST) {
            throw fail(context, "allowed origin '%s' has a host longer than %s characters", shown, MAX_HOST);
        }
        if (host.endsWith(".")) {
            throw fail(
                    context,
                    "allowed origin '%s' must not end with '.': browsers treat 'example.com.' as another origin;"
                            + " remove the trailing dot",
                    shown);
        }
        int start = 0;
        while (true) {
            int dot = host.indexOf('.', start);
            int end = dot < 0 ? host.length() : dot;
            if (end == start) {
                throw fail(context, "allowed origin '%s' has an empty label in its host", shown);
            }
            if (end - start > MAX_LABEL) {
                throw fail(context, "allowed origin '%s' has a host label longer than %s characters", shown, MAX_LABEL);
            }
            for (int i = start; i < end; i++) {
                char c = host.charAt(i);
                if (!(isAlpha(c) || isDigit(c) || c == '-' || c == '_')) {
                    throw fail(
                            context,
                            "allowed origin '%s' has an invalid character '%s' in its host; hosts are letters,"
                                    + " digits, '-' and '.'",
                            shown,
                            String.valueOf(c));
                }
            }
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        if (isIpv4Like(host) && IpAddress.parse(host).isEmpty()) {
            throw fail(
                    context,
                    "allowed origin '%s' has a host that ends in a number but is not a dotted-quad IPv4 address;"
                            + " browsers would rewrite it, so write the address as a.b.c.d",
                    shown);
        }
    }

    /** Returns whether the last label is numeric (or hex {@code 0x…}), which the WHATWG URL parser reads as IPv4. */
    static boolean isIpv4Like(String host) {
        int last = host.lastIndexOf('.') + 1;
        if (last >= host.length()) {
            return false;
        }
        if (host.startsWith("0x", last)) {
            for (int i = last + 2; i < host.length(); i++) {
                if (!isHex(host.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
        for (int i = last; i < host.length(); i++) {
            if (!isDigit(host.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether the host is {@code localhost}, a {@code .localhost} name or a loopback IP literal. */
    static boolean isLoopbackHost(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return IpAddress.parse(literal).map(IpAddress::isLoopback).orElse(false);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static IllegalArgumentException fail(String context, String template, Object... args) {
        return new IllegalArgumentException(context + ": " + String.format(Locale.ROOT, template, args));
    }

    static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isSchemeChar(char c) {
        return isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.';
    }
}
