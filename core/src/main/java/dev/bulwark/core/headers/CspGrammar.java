package dev.bulwark.core.headers;

import dev.bulwark.core.internal.Checks;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The directive names and value grammars of <a href="https://www.w3.org/TR/CSP3/#csp-directives">Content Security
 * Policy Level 3</a>, used by {@link ContentSecurityPolicy} to validate and normalise directives once, at
 * configuration time.
 *
 * <p>Stateless and safe for concurrent use.
 */
final class CspGrammar {

    /** The value grammar of a directive. */
    enum Kind {
        /** A serialized source list (CSP3 section 2.3.1): fetch directives, base-uri, form-action. */
        SOURCES,
        /** An ancestor source list (CSP3 section 6.4.2): only 'self', 'none', schemes and hosts. */
        ANCESTOR_SOURCES,
        /** Sandboxing tokens (HTML, "sandboxing flag set"); no token means the strictest sandbox. */
        SANDBOX,
        /** One or more URI references (the deprecated report-uri). */
        URIS,
        /** Exactly one token naming a Reporting-Endpoints group (report-to). */
        TOKEN,
        /** No value at all (upgrade-insecure-requests). */
        EMPTY,
        /** Trusted Types policy names and keywords (trusted-types). */
        TRUSTED_TYPES,
        /** Exactly 'script' (require-trusted-types-for). */
        REQUIRE_TRUSTED_TYPES_FOR,
        /** Exactly 'allow' or 'block' (webrtc). */
        WEBRTC
    }

    /** Known directive names, sorted, with their grammar. */
    static final Map<String, Kind> DIRECTIVES;

    /** Directive names that browsers no longer implement, with the fix shown in the error message. */
    static final Map<String, String> OBSOLETE = Map.of(
            "block-all-mixed-content", "use upgrade-insecure-requests instead",
            "prefetch-src", "remove it, browsers dropped it",
            "navigate-to", "remove it, no browser ships it",
            "plugin-types", "use object-src 'none' instead",
            "referrer", "use the Referrer-Policy header instead",
            "reflected-xss", "remove it and restrict script-src instead",
            "disown-opener", "use the Cross-Origin-Opener-Policy header instead",
            "require-sri-for", "remove it, no browser ships it");

    /** Quoted keywords allowed in source lists (CSP3 keyword-source, plus Chrome's inline speculation rules). */
    private static final Set<String> KEYWORDS = Set.of(
            "'self'",
            "'unsafe-inline'",
            "'unsafe-eval'",
            "'strict-dynamic'",
            "'unsafe-hashes'",
            "'report-sample'",
            "'unsafe-allow-redirects'",
            "'wasm-unsafe-eval'",
            "'trusted-types-eval'",
            "'inline-speculation-rules'",
            "'report-sha256'",
            "'report-sha384'",
            "'report-sha512'",
            "'unsafe-webtransport-hashes'");

    private static final String KEYWORD_LIST = "'self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic', "
            + "'unsafe-hashes', 'report-sample', 'wasm-unsafe-eval', 'inline-speculation-rules', 'nonce-…' or 'sha256-…'";

    private static final String NONE = "'none'";

    /** The only nonce source a policy may contain. */
    static final String NONCE_SOURCE = "'nonce-{nonce}'";

    static {
        Map<String, Kind> m = new TreeMap<>();
        for (String fetch : List.of(
                "child-src",
                "connect-src",
                "default-src",
                "fenced-frame-src",
                "font-src",
                "frame-src",
                "img-src",
                "manifest-src",
                "media-src",
                "object-src",
                "script-src",
                "script-src-elem",
                "script-src-attr",
                "style-src",
                "style-src-elem",
                "style-src-attr",
                "worker-src",
                "base-uri",
                "form-action")) {
            m.put(fetch, Kind.SOURCES);
        }
        m.put("frame-ancestors", Kind.ANCESTOR_SOURCES);
        m.put("sandbox", Kind.SANDBOX);
        m.put("report-uri", Kind.URIS);
        m.put("report-to", Kind.TOKEN);
        m.put("upgrade-insecure-requests", Kind.EMPTY);
        m.put("trusted-types", Kind.TRUSTED_TYPES);
        m.put("require-trusted-types-for", Kind.REQUIRE_TRUSTED_TYPES_FOR);
        m.put("webrtc", Kind.WEBRTC);
        DIRECTIVES = Collections.unmodifiableMap(m);
    }

    private CspGrammar() {}

    /**
     * Returns the lower-case directive name.
     *
     * @throws IllegalArgumentException if the name is not a known CSP3 directive, or is obsolete
     */
    static String directiveName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        @Nullable String obsolete = OBSOLETE.get(lower);
        if (obsolete != null) {
            throw new IllegalArgumentException(
                    "content security policy directive is obsolete and ignored by browsers: \"" + lower + "\"; "
                            + obsolete);
        }
        if (!DIRECTIVES.containsKey(lower)) {
            throw new IllegalArgumentException("content security policy directive is unknown: \"" + Checks.escape(name)
                    + "\"; use one of " + String.join(", ", DIRECTIVES.keySet()));
        }
        return lower;
    }

    /**
     * Validates and normalises the added values, then merges them into the existing ones, dropping duplicates.
     *
     * @param directive a lower-case name returned by {@link #directiveName(String)}
     * @param existing the directive's current values, or {@code null} when it is not set yet
     * @param added the values to add
     * @return the merged, unmodifiable values
     * @throws IllegalArgumentException if a value or the combination is invalid for this directive
     */
    static List<String> merge(String directive, @Nullable List<String> existing, String[] added) {
        @Nullable Kind kind = DIRECTIVES.get(directive);
        if (kind == null) {
            throw new IllegalArgumentException("content security policy directive is unknown: \"" + directive + "\"");
        }
        if (added.length == 0) {
            requireNoValueAllowed(directive, kind);
        }
        Set<String> merged = new LinkedHashSet<>();
        if (existing != null) {
            merged.addAll(existing);
        }
        for (String value : added) {
            merged.add(normalize(directive, kind, value));
        }
        List<String> result = List.copyOf(merged);
        checkCombination(directive, kind, result);
        return result;
    }

    private static void requireNoValueAllowed(String directive, Kind kind) {
        switch (kind) {
            case SOURCES, ANCESTOR_SOURCES ->
                throw new IllegalArgumentException(
                        directive + " must list at least one source; use 'none' to allow nothing");
            case URIS ->
                throw new IllegalArgumentException(
                        directive + " must list at least one URI; prefer report-to with a Reporting-Endpoints group");
            case TOKEN ->
                throw new IllegalArgumentException(
                        directive + " must name one Reporting-Endpoints group; for example report-to csp-endpoint");
            case REQUIRE_TRUSTED_TYPES_FOR ->
                throw new IllegalArgumentException(
                        directive + " must have the value 'script'; write require-trusted-types-for 'script'");
            case WEBRTC ->
                throw new IllegalArgumentException(
                        directive + " must have the value 'allow' or 'block'; write webrtc 'block'");
            case SANDBOX, EMPTY, TRUSTED_TYPES -> {
                // an empty value is meaningful: strictest sandbox, flag directive, or no policy may be created
            }
        }
    }

    private static String normalize(String directive, Kind kind, String value) {
        requireVisibleAscii(directive, value);
        return switch (kind) {
            case SOURCES -> source(directive, value, false);
            case ANCESTOR_SOURCES -> source(directive, value, true);
            case SANDBOX -> sandboxToken(directive, value);
            case URIS -> uri(directive, value);
            case TOKEN -> token(directive, value);
            case EMPTY ->
                throw new IllegalArgumentException(directive + " takes no value: \"" + value + "\"; remove the value");
            case TRUSTED_TYPES -> trustedType(directive, value);
            case REQUIRE_TRUSTED_TYPES_FOR -> {
                if (!value.equalsIgnoreCase("'script'")) {
                    throw new IllegalArgumentException(directive + " must be 'script': \"" + value
                            + "\"; write require-trusted-types-for 'script'");
                }
                yield "'script'";
            }
            case WEBRTC -> {
                String lower = value.toLowerCase(Locale.ROOT);
                if (!lower.equals("'allow'") && !lower.equals("'block'")) {
                    throw new IllegalArgumentException(directive + " must be 'allow' or 'block': \"" + value
                            + "\"; use 'block' with single quotes");
                }
                yield lower;
            }
        };
    }

    private static void checkCombination(String directive, Kind kind, List<String> values) {
        switch (kind) {
            case SOURCES, ANCESTOR_SOURCES, TRUSTED_TYPES -> {
                if (values.size() > 1 && values.contains(NONE)) {
                    throw new IllegalArgumentException(directive + " 'none' must not be combined with other values: \""
                            + String.join(" ", values) + "\"; remove 'none' or the other values");
                }
            }
            case TOKEN -> {
                if (values.size() > 1) {
                    throw new IllegalArgumentException(directive + " must name exactly one reporting group: \""
                            + String.join(" ", values) + "\"; keep one group and list several endpoints under it");
                }
            }
            case REQUIRE_TRUSTED_TYPES_FOR, WEBRTC -> {
                if (values.size() > 1) {
                    throw new IllegalArgumentException(
                            directive + " must have exactly one value: \"" + String.join(" ", values) + "\"; keep one");
                }
            }
            case SANDBOX, URIS, EMPTY -> {
                // any number of values
            }
        }
    }

    /** Rejects whitespace, control characters, non-ASCII characters and the policy separators ';' and ','. */
    private static void requireVisibleAscii(String directive, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(directive + " value must not be empty: \"\"; remove it");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == ';' || c == ',') {
                throw new IllegalArgumentException(directive
                        + " value must not contain whitespace, control characters, ';' or ',': \""
                        + Checks.escape(value) + "\"; pass each value as a separate argument");
            }
            if (c > 0x7f) {
                throw new IllegalArgumentException(directive + " value must be ASCII: \"" + Checks.escape(value)
                        + "\"; write international domain names in punycode (xn--…)");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- source lists

    private static String source(String directive, String value, boolean ancestor) {
        char first = value.charAt(0);
        if (first == '"') {
            throw new IllegalArgumentException(
                    directive + " source must use single quotes: \"" + value + "\"; write " + value.replace('"', '\''));
        }
        if (first == '\'') {
            if (value.length() < 2
                    || value.charAt(value.length() - 1) != '\''
                    || value.indexOf('\'', 1) != value.length() - 1) {
                throw new IllegalArgumentException(directive + " source has unbalanced single quotes: \"" + value
                        + "\"; quote keywords as a whole, for example 'self'");
            }
            return quotedSource(directive, value, ancestor);
        }
        if (value.indexOf('\'') >= 0 || value.indexOf('"') >= 0) {
            throw new IllegalArgumentException(directive + " source must not contain quotes: \"" + value
                    + "\"; only keywords, nonces and hashes are quoted, as a whole");
        }
        String lower = value.toLowerCase(Locale.ROOT);
        String quoted = "'" + lower + "'";
        if (KEYWORDS.contains(quoted) || quoted.equals(NONE) || isHashOrNonceLike(lower)) {
            throw new IllegalArgumentException(
                    directive + " keyword must be quoted: \"" + value + "\"; use '" + value + "' with single quotes");
        }
        if (value.contains(ContentSecurityPolicy.NONCE_PLACEHOLDER)) {
            throw new IllegalArgumentException(
                    directive + " nonce placeholder must be quoted: \"" + value + "\"; use " + NONCE_SOURCE);
        }
        if (value.equals("*") || isSchemeSource(value) || isHostSource(value)) {
            return value;
        }
        throw new IllegalArgumentException(directive + " source must be a quoted keyword, a nonce, a hash, a scheme"
                + " (https:) or a host (https://cdn.example.com): \"" + value
                + "\"; see https://www.w3.org/TR/CSP3/#grammardef-source-expression");
    }

    private static boolean isHashOrNonceLike(String lower) {
        return lower.startsWith("nonce-")
                || lower.startsWith("sha256-")
                || lower.startsWith("sha384-")
                || lower.startsWith("sha512-");
    }

    private static String quotedSource(String directive, String value, boolean ancestor) {
        String inner = value.substring(1, value.length() - 1);
        String lowerInner = inner.toLowerCase(Locale.ROOT);
        String lower = "'" + lowerInner + "'";
        if (lower.equals(NONE) || lower.equals("'self'")) {
            return lower;
        }
        if (ancestor) {
            throw new IllegalArgumentException(directive + " accepts only 'self', 'none', schemes and hosts: \"" + value
                    + "\"; remove it, browsers ignore it here");
        }
        if (lowerInner.startsWith("nonce-")) {
            if (!inner.substring("nonce-".length()).equals(ContentSecurityPolicy.NONCE_PLACEHOLDER)) {
                throw new IllegalArgumentException(directive + " nonce must be the per-response placeholder "
                        + NONCE_SOURCE + ": \"" + value + "\"; a fixed nonce is replayable, so use " + NONCE_SOURCE
                        + " and render(nonce) with a fresh nonce per response");
            }
            return NONCE_SOURCE;
        }
        int dash = lowerInner.indexOf('-');
        if (lowerInner.startsWith("sha") && dash > 0) {
            return hashSource(directive, value, lowerInner.substring(0, dash), inner.substring(dash + 1));
        }
        if (KEYWORDS.contains(lower)) {
            return lower;
        }
        throw new IllegalArgumentException(
                directive + " keyword is unknown: \"" + value + "\"; use one of " + KEYWORD_LIST);
    }

    private static String hashSource(String directive, String value, String algorithm, String base64) {
        int bytes =
                switch (algorithm) {
                    case "sha256" -> 32;
                    case "sha384" -> 48;
                    case "sha512" -> 64;
                    default ->
                        throw new IllegalArgumentException(directive
                                + " hash algorithm must be sha256, sha384 or sha512: \"" + value
                                + "\"; compute the hash with sha256");
                };
        if (decodedLength(base64) != bytes) {
            int chars = (bytes + 2) / 3 * 4;
            throw new IllegalArgumentException(directive + " hash must be the base64 " + algorithm + " digest ("
                    + chars + " characters): \"" + value + "\"; compute it with: openssl dgst -" + algorithm
                    + " -binary script.js | openssl base64 -A");
        }
        return "'" + algorithm + "-" + base64 + "'";
    }

    /** Returns the decoded length of a CSP base64-value (either alphabet, optional padding), or -1 if malformed. */
    private static int decodedLength(String base64) {
        if (base64.isEmpty() || !isBase64Value(base64)) {
            return -1;
        }
        try {
            return Base64.getDecoder().decode(base64.replace('-', '+').replace('_', '/')).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Returns whether the string matches CSP3's base64-value: 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" ) *2"=". */
    static boolean isBase64Value(String s) {
        int n = s.length();
        int end = n;
        while (end > 0 && n - end < 2 && s.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '+'
                    || c == '/'
                    || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** scheme-source = scheme ":" with scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
    private static boolean isSchemeSource(String s) {
        return s.length() > 1 && s.charAt(s.length() - 1) == ':' && isScheme(s, 0, s.length() - 1);
    }

    private static boolean isScheme(String s, int from, int to) {
        if (from >= to || !isAlpha(s.charAt(from))) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** host-source = [ scheme-part "://" ] host-part [ ":" port-part ] [ path-part ]. */
    private static boolean isHostSource(String s) {
        int n = s.length();
        int i = 0;
        int schemeEnd = s.indexOf("://");
        if (schemeEnd >= 0) {
            if (!isScheme(s, 0, schemeEnd)) {
                return false;
            }
            i = schemeEnd + 3;
        }
        int hostStart = i;
        while (i < n && s.charAt(i) != ':' && s.charAt(i) != '/') {
            i++;
        }
        if (!isHostPart(s, hostStart, i)) {
            return false;
        }
        if (i < n && s.charAt(i) == ':') {
            int portStart = ++i;
            while (i < n && s.charAt(i) != '/') {
                i++;
            }
            if (!isPort(s.substring(portStart, i))) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (!isPathChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]. */
    private static boolean isHostPart(String s, int from, int to) {
        if (to - from == 1 && s.charAt(from) == '*') {
            return true;
        }
        int i = from;
        if (to - i >= 2 && s.charAt(i) == '*' && s.charAt(i + 1) == '.') {
            i += 2;
        }
        int end = to;
        if (end > i && s.charAt(end - 1) == '.') {
            end--; // a fully qualified name may end with "."
        }
        if (end <= i) {
            return false;
        }
        int label = 0;
        for (int k = i; k < end; k++) {
            char c = s.charAt(k);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if (isAlpha(c) || isDigit(c) || c == '-') {
                label++;
            } else {
                return false;
            }
        }
        return label > 0;
    }

    private static boolean isPort(String port) {
        if (port.equals("*")) {
            return true;
        }
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (!isDigit(port.charAt(i))) {
                return false;
            }
        }
        return Integer.parseInt(port) <= 65535;
    }

    /** RFC 3986 pchar and "/", minus the ';' and ',' that CSP reserves. */
    private static boolean isPathChar(char c) {
        return isAlpha(c) || isDigit(c) || "-._~%!$&()*+=:@/".indexOf(c) >= 0;
    }

    // ---------------------------------------------------------------------------------------------- other grammars

    private static String sandboxToken(String directive, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        boolean ok = lower.startsWith("allow-") && lower.length() > "allow-".length();
        for (int i = 0; ok && i < lower.length(); i++) {
            char c = lower.charAt(i);
            ok = c >= 'a' && c <= 'z' || c == '-';
        }
        if (!ok) {
            throw new IllegalArgumentException(directive + " token must be an allow-* keyword: \"" + value
                    + "\"; use for example allow-scripts, or no token for the strictest sandbox");
        }
        return lower;
    }

    private static String uri(String directive, String value) {
        if (value.indexOf('\'') >= 0 || value.indexOf('"') >= 0 || value.indexOf('<') >= 0 || value.indexOf('>') >= 0) {
            throw new IllegalArgumentException(
                    directive + " must be a URI reference without quotes or angle brackets: \"" + value
                            + "\"; for example /csp-reports or https://reports.example.com/csp");
        }
        return value;
    }

    private static String token(String directive, String value) {
        if (!Checks.isToken(value) || value.indexOf('\'') >= 0) {
            throw new IllegalArgumentException(directive + " must be a token naming a Reporting-Endpoints group: \""
                    + value + "\"; for example csp-endpoint");
        }
        return value;
    }

    private static String trustedType(String directive, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals(NONE) || lower.equals("'allow-duplicates'")) {
            return lower;
        }
        if (value.equals("*")) {
            return value;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAlpha(c) && !isDigit(c) && "-#=_/@.%".indexOf(c) < 0) {
                throw new IllegalArgumentException(directive + " value must be a policy name, 'none',"
                        + " 'allow-duplicates' or *: \"" + value + "\"; policy names use letters, digits and -#=_/@.%");
            }
        }
        return value;
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
