package dev.bulwark.core.cors;

import org.jspecify.annotations.Nullable;

/**
 * One configured allowed origin, normalized: {@code *}, an exact origin, a subdomain pattern ({@code
 * https://*.example.com}: one or more whole labels before {@code .example.com}) and/or a port wildcard ({@code
 * https://example.com:*}: any port, the default one included).
 *
 * <p>Immutable and safe for concurrent use; {@link #matches(String)} allocates nothing.
 */
final class OriginRule {

    /** The rule {@code *}: any origin. */
    static final OriginRule ANY = new OriginRule();

    private final boolean any;
    private final String scheme;
    /** The host, or for a subdomain pattern the domain after {@code *.}. */
    private final String host;

    private final boolean subdomains;
    private final boolean anyPort;
    /** {@code scheme://}, compared first. */
    private final String prefix;
    /** {@code .domain} for subdomain patterns, else the host. */
    private final String hostPart;
    /** {@code :port}, or null for the default port. */
    private final @Nullable String portPart;

    private final String text;

    private OriginRule() {
        this.any = true;
        this.scheme = "";
        this.host = "";
        this.subdomains = false;
        this.anyPort = true;
        this.prefix = "";
        this.hostPart = "";
        this.portPart = null;
        this.text = "*";
    }

    /**
     * Creates a rule from parsed, lower-case components.
     *
     * @param port the explicit non-default port, or -1 for the default port (ignored when {@code anyPort})
     */
    OriginRule(String scheme, String host, boolean subdomains, int port, boolean anyPort) {
        this.any = false;
        this.scheme = scheme;
        this.host = host;
        this.subdomains = subdomains;
        this.anyPort = anyPort;
        this.prefix = scheme + "://";
        this.hostPart = subdomains ? "." + host : host;
        this.portPart = port < 0 ? null : ":" + port;
        this.text = prefix + (subdomains ? "*." : "") + host + (anyPort ? ":*" : portPart == null ? "" : portPart);
    }

    boolean isAny() {
        return any;
    }

    /** Returns whether this rule is a single exact origin (no wildcard), whose text is the serialized origin. */
    boolean isExact() {
        return !any && !subdomains && !anyPort;
    }

    /** Returns whether origins of this rule could be forged by a network attacker: {@code http} to a non-loopback host. */
    boolean isInsecure() {
        return !any && scheme.equals("http") && !Origins.isLoopbackHost(host);
    }

    /**
     * Returns whether the origin matches this rule exactly (case-sensitive, as browsers serialize origins in lower
     * case).
     *
     * @param origin a value {@link Origins#check} classified as {@link Origins#SERIALIZED}
     */
    boolean matches(String origin) {
        if (any) {
            return true;
        }
        if (!origin.startsWith(prefix)) {
            return false;
        }
        int hostStart = prefix.length();
        int len = origin.length();
        int hostEnd;
        if (hostStart < len && origin.charAt(hostStart) == '[') {
            hostEnd = origin.indexOf(']', hostStart) + 1;
        } else {
            hostEnd = origin.indexOf(':', hostStart);
            if (hostEnd < 0) {
                hostEnd = len;
            }
        }
        int hl = hostPart.length();
        if (subdomains) {
            int labelsEnd = hostEnd - hl;
            if (labelsEnd <= hostStart || !origin.startsWith(hostPart, labelsEnd)) {
                return false;
            }
            // one or more labels: lower-case letters, digits, '-' and '_', none empty, none starting or ending with '-'
            char previous = '.';
            for (int i = hostStart; i < labelsEnd; i++) {
                char c = origin.charAt(i);
                if (c == '.') {
                    if (previous == '.' || previous == '-') {
                        return false;
                    }
                } else if (c == '-') {
                    if (previous == '.') {
                        return false;
                    }
                } else if (!((c >= 'a' && c <= 'z') || Origins.isDigit(c) || c == '_')) {
                    return false;
                }
                previous = c;
            }
            if (previous == '-') {
                return false;
            }
        } else if (hostEnd - hostStart != hl || !origin.startsWith(hostPart, hostStart)) {
            return false;
        }
        if (anyPort) {
            return true;
        }
        String p = portPart;
        if (p == null) {
            return hostEnd == len;
        }
        return len - hostEnd == p.length() && origin.startsWith(p, hostEnd);
    }

    /** Returns the normalized rule, e.g. {@code https://*.example.com:*}. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof OriginRule other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
