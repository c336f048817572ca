package dev.bulwark.core.headers;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A validated {@code Permissions-Policy} header value (<a href="https://www.w3.org/TR/permissions-policy/">Permissions
 * Policy</a>). Instances are immutable and safe for concurrent use; builders are not. There is no default policy:
 * start from {@link #restrictive()} or {@link #builder()}.
 *
 * <p>The value is a structured-field dictionary (<a href="https://www.rfc-editor.org/rfc/rfc9651#section-3.2">RFC 9651
 * section 3.2</a>) mapping each feature to its allowlist, for example {@code camera=(), geolocation=(self),
 * fullscreen=*, payment=(self "https://pay.example.com")}; it is rendered once, at {@link Builder#build()}.
 *
 * <p>Feature names must match {@code [a-z][a-z0-9-]*}; any such name is accepted, because browsers add features
 * faster than a list can follow (an unknown feature only earns a console warning). An allowlist holds {@code self},
 * serialized origins ({@code scheme://host[:port]}, lower case, no path or trailing slash, optionally {@code
 * https://*.example.com} for subdomains), or is {@code *} on its own. The CSP-style {@code 'self'} and {@code 'none'}
 * of the old {@code Feature-Policy} header are rejected with the fix. Setting a feature again replaces its allowlist,
 * as a repeated dictionary key does.
 */
public final class PermissionsPolicy {

    private static final String SELF = "self";
    private static final String ALL = "*";

    private static final PermissionsPolicy RESTRICTIVE = builder()
            .disable("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")
            .build();

    private final Map<String, List<String>> features;
    private final String header;

    private PermissionsPolicy(Map<String, List<String>> features) {
        this.features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : features.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=');
            List<String> allowlist = e.getValue();
            if (allowlist.equals(List.of(ALL))) {
                sb.append(ALL);
                continue;
            }
            sb.append('(');
            for (int i = 0; i < allowlist.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                String entry = allowlist.get(i);
                if (entry.equals(SELF)) {
                    sb.append(SELF);
                } else {
                    sb.append('"').append(entry).append('"');
                }
            }
            sb.append(')');
        }
        this.header = sb.toString();
    }

    /** Returns a new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a policy that disables powerful features most sites never use, for the page and every frame in it:
     * {@code camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()}.
     *
     * <p>Derive from it with {@link #toBuilder()}, for example {@code restrictive().toBuilder().allowSelf("camera")}.
     */
    public static PermissionsPolicy restrictive() {
        return RESTRICTIVE;
    }

    /**
     * Parses and validates a header value such as {@code camera=(), geolocation=(self "https://maps.example.com")}, as
     * written in configuration.
     *
     * <p>Accepts the structured-field forms browsers accept: an inner list of {@code self}, {@code *} and quoted
     * origins, or a single such item ({@code fullscreen=*}, {@code geolocation=self}). A repeated feature replaces
     * the earlier allowlist. Parameters ({@code ;report-to=…}) are not supported.
     *
     * @param headerValue the dictionary
     * @return the validated policy
     * @throws IllegalArgumentException if the value is empty, is not a structured-field dictionary, contains control or
     *     non-ASCII characters, or any feature or allowlist is invalid; the message names the offending feature and
     *     value
     */
    public static PermissionsPolicy parse(String headerValue) {
        requireNonNull(headerValue, "headerValue");
        for (int i = 0; i < headerValue.length(); i++) {
            char c = headerValue.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                throw new IllegalArgumentException("permissions policy must contain only visible ASCII characters,"
                        + " spaces and tabs: \"" + Checks.escape(headerValue) + "\"; remove line breaks");
            }
        }
        return new Parser(headerValue).parse();
    }

    /**
     * Returns the features in insertion order, each with its allowlist: empty when disabled, {@code [*]} when allowed
     * everywhere, otherwise {@code self} and origins.
     */
    public Map<String, List<String>> features() {
        return features;
    }

    /** Returns the header value, rendered at build time. */
    public String render() {
        return header;
    }

    /** Returns a builder holding this policy's features. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.features.putAll(features);
        return builder;
    }

    /** Returns the header value; {@link #parse(String)} accepts it. */
    @Override
    public String toString() {
        return header;
    }

    /** Returns whether the other object is a policy that renders the same header value. */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof PermissionsPolicy other && header.equals(other.header);
    }

    @Override
    public int hashCode() {
        return header.hashCode();
    }

    /**
     * A builder of {@link PermissionsPolicy}. Not thread-safe; {@link #build()} leaves it reusable.
     *
     * <p>Each method validates its arguments at once and changes nothing when it throws. Setting a feature again
     * replaces its allowlist and keeps its position.
     */
    public static final class Builder {

        private final Map<String, List<String>> features = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Disables the features for the page and all its frames: {@code camera=()}.
         *
         * @throws IllegalArgumentException if a feature name is not a lower-case token
         */
        public Builder disable(String... features) {
            return putAll(features, List.of());
        }

        /**
         * Allows the features for the page's own origin only: {@code geolocation=(self)}.
         *
         * @throws IllegalArgumentException if a feature name is not a lower-case token
         */
        public Builder allowSelf(String... features) {
            return putAll(features, List.of(SELF));
        }

        /**
         * Allows the features for every origin, including cross-origin frames that the {@code allow} attribute
         * delegates to: {@code fullscreen=*}.
         *
         * @throws IllegalArgumentException if a feature name is not a lower-case token
         */
        public Builder allowAll(String... features) {
            return putAll(features, List.of(ALL));
        }

        /**
         * Allows the feature for the listed entries: {@code allow("payment", "self", "https://pay.example.com")}
         * renders {@code payment=(self "https://pay.example.com")}; no entry disables it.
         *
         * @param feature the feature name
         * @param allowlist {@code self}, serialized origins, or {@code *} alone
         * @throws IllegalArgumentException if the feature name is not a lower-case token, or an entry is not {@code
         *     self}, {@code *} or a serialized origin, or {@code *} is combined with other entries
         */
        public Builder allow(String feature, String... allowlist) {
            requireNonNull(feature, "feature");
            requireNonNull(allowlist, "allowlist");
            String name = featureName(feature);
            Set<String> entries = new LinkedHashSet<>();
            for (String entry : allowlist) {
                requireNonNull(entry, "allowlist entry");
                entries.add(allowlistEntry(name, entry));
            }
            if (entries.size() > 1 && entries.contains(ALL)) {
                throw new IllegalArgumentException(name + " allowlist must not combine * with other entries: \""
                        + String.join(" ", entries) + "\"; use allowAll(\"" + name + "\") or drop the *");
            }
            features.put(name, List.copyOf(entries));
            return this;
        }

        /** Removes a feature, for example to drop one taken over with {@code toBuilder()}. */
        public Builder remove(String feature) {
            requireNonNull(feature, "feature");
            features.remove(featureName(feature));
            return this;
        }

        /**
         * Returns the immutable policy.
         *
         * @throws IllegalStateException if no feature was added
         */
        public PermissionsPolicy build() {
            if (features.isEmpty()) {
                throw new IllegalStateException(
                        "permissions policy has no feature; add one, for example disable(\"camera\")");
            }
            return new PermissionsPolicy(features);
        }

        private Builder putAll(String[] names, List<String> allowlist) {
            requireNonNull(names, "features");
            List<String> valid = new ArrayList<>(names.length);
            for (String name : names) {
                requireNonNull(name, "feature");
                valid.add(featureName(name));
            }
            for (String name : valid) {
                features.put(name, allowlist);
            }
            return this;
        }
    }

    // -------------------------------------------------------------------------------------------------- validation

    private static String featureName(String feature) {
        if (!isFeatureName(feature)) {
            String lower = feature.toLowerCase(Locale.ROOT).strip();
            String fix = isFeatureName(lower)
                    ? "use \"" + lower + "\""
                    : "see https://github.com/w3c/webappsec-permissions-policy/blob/main/features.md";
            throw new IllegalArgumentException("permissions policy feature must be a lower-case token"
                    + " ([a-z][a-z0-9-]*): \"" + Checks.escape(feature) + "\"; " + fix);
        }
        return feature;
    }

    private static boolean isFeatureName(String s) {
        if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String allowlistEntry(String feature, String entry) {
        if (entry.equals(SELF) || entry.equals(ALL)) {
            return entry;
        }
        String bare = entry.length() > 1 && (entry.startsWith("'") || entry.startsWith("\""))
                ? entry.substring(1, entry.length() - 1)
                : entry;
        String lowerBare = bare.toLowerCase(Locale.ROOT);
        if (lowerBare.equals("none")) {
            throw new IllegalArgumentException(feature + " allowlist has no 'none' keyword: \"" + Checks.escape(entry)
                    + "\"; use disable(\"" + feature + "\"), which renders " + feature + "=()");
        }
        if (lowerBare.equals(SELF) || lowerBare.equals(ALL)) {
            throw new IllegalArgumentException(feature + " allowlist keyword must be unquoted lower-case " + lowerBare
                    + ": \"" + Checks.escape(entry) + "\"; write " + lowerBare + " (Permissions-Policy is not CSP)");
        }
        if (lowerBare.equals("src")) {
            throw new IllegalArgumentException(feature + " allowlist must not contain src: \"" + entry
                    + "\"; src only applies to an iframe allow attribute, use self or an origin");
        }
        return origin(feature, entry);
    }

    /**
     * Validates a serialized origin: {@code scheme://host[:port]} in lower case, where host is a domain (optionally
     * starting with {@code *.}), an IPv4 address or a bracketed IPv6 address.
     */
    private static String origin(String feature, String origin) {
        if (isOrigin(origin)) {
            return origin;
        }
        String fix = "write it as scheme://host[:port], for example https://pay.example.com";
        int authority = origin.indexOf("://");
        if (authority > 0) {
            int path = origin.indexOf('/', authority + 3);
            String suggestion = (path < 0 ? origin : origin.substring(0, path)).toLowerCase(Locale.ROOT);
            if (isOrigin(suggestion)) {
                fix = "use \"" + suggestion + "\"";
            }
        }
        throw new IllegalArgumentException(feature + " allowlist origin must be a serialized origin"
                + " (scheme://host[:port], lower case, no path): \"" + Checks.escape(origin) + "\"; " + fix);
    }

    private static boolean isOrigin(String s) {
        int sep = s.indexOf("://");
        if (sep <= 0 || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < sep; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        int hostStart = sep + 3;
        int hostEnd;
        if (hostStart < s.length() && s.charAt(hostStart) == '[') {
            hostEnd = s.indexOf(']', hostStart);
            if (hostEnd < 0 || hostEnd == hostStart + 1) {
                return false;
            }
            for (int i = hostStart + 1; i < hostEnd; i++) {
                char c = s.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == ':' || c == '.')) {
                    return false;
                }
            }
            hostEnd++;
        } else {
            hostEnd = hostStart;
            while (hostEnd < s.length() && s.charAt(hostEnd) != ':') {
                hostEnd++;
            }
            if (!isDomain(s, hostStart, hostEnd)) {
                return false;
            }
        }
        if (hostEnd == s.length()) {
            return true;
        }
        if (s.charAt(hostEnd) != ':') {
            return false;
        }
        String port = s.substring(hostEnd + 1);
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        int value = Integer.parseInt(port);
        return value > 0 && value <= 65535;
    }

    private static boolean isDomain(String s, int from, int to) {
        int i = from;
        if (to - i > 2 && s.charAt(i) == '*' && s.charAt(i + 1) == '.') {
            i += 2;
        }
        if (i >= to) {
            return false;
        }
        int label = 0;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
                label++;
            } else {
                return false;
            }
        }
        return label > 0;
    }

    /** A structured-field dictionary parser (RFC 9651 section 4.2.2), limited to what an allowlist can hold. */
    private static final class Parser {

        private final String input;
        private int pos;

        Parser(String input) {
            this.input = input;
        }

        PermissionsPolicy parse() {
            Builder builder = builder();
            skipWhitespace();
            if (pos == input.length()) {
                throw new IllegalArgumentException("permissions policy must contain at least one feature: \"" + input
                        + "\"; for example camera=()");
            }
            while (true) {
                String feature = key();
                if (pos >= input.length() || input.charAt(pos) != '=') {
                    throw new IllegalArgumentException("permissions policy feature must have an allowlist: \""
                            + feature + "\"; write " + feature + "=() to disable it or " + feature
                            + "=(self) to allow it for the page's origin");
                }
                pos++;
                List<String> allowlist = allowlist(feature);
                if (pos < input.length() && input.charAt(pos) == ';') {
                    throw new IllegalArgumentException("permissions policy parameters are not supported: \""
                            + input.substring(pos) + "\"; remove the ;parameter after " + feature);
                }
                builder.allow(feature, allowlist.toArray(new String[0]));
                skipWhitespace();
                if (pos == input.length()) {
                    return builder.build();
                }
                if (input.charAt(pos) != ',') {
                    throw syntax("expected ',' between features");
                }
                pos++;
                skipWhitespace();
                if (pos == input.length()) {
                    throw syntax("trailing ','");
                }
            }
        }

        private String key() {
            int start = pos;
            while (pos < input.length() && "=,;() \t\"".indexOf(input.charAt(pos)) < 0) {
                pos++;
            }
            String key = input.substring(start, pos);
            if (key.isEmpty()) {
                throw syntax("expected a feature name");
            }
            return featureName(key);
        }

        private List<String> allowlist(String feature) {
            List<String> entries = new ArrayList<>();
            if (pos < input.length() && input.charAt(pos) == '(') {
                pos++;
                while (true) {
                    while (pos < input.length() && input.charAt(pos) == ' ') {
                        pos++;
                    }
                    if (pos >= input.length()) {
                        throw syntax("missing ')' after the " + feature + " allowlist");
                    }
                    if (input.charAt(pos) == ')') {
                        pos++;
                        return entries;
                    }
                    entries.add(item(feature));
                    if (pos < input.length() && input.charAt(pos) != ' ' && input.charAt(pos) != ')') {
                        throw syntax("expected ' ' or ')' in the " + feature + " allowlist");
                    }
                }
            }
            entries.add(item(feature));
            return entries;
        }

        /** Parses a token ({@code self}, {@code *}) or a string (an origin); anything else is an error. */
        private String item(String feature) {
            if (pos < input.length() && input.charAt(pos) == '"') {
                int start = ++pos;
                while (pos < input.length() && input.charAt(pos) != '"') {
                    if (input.charAt(pos) == '\\') {
                        throw syntax("origins never contain '\\'");
                    }
                    pos++;
                }
                if (pos >= input.length()) {
                    throw syntax("unterminated string in the " + feature + " allowlist");
                }
                String origin = input.substring(start, pos++);
                if (Set.of(SELF, ALL, "none", "src").contains(origin.toLowerCase(Locale.ROOT))) {
                    allowlistEntry(feature, '"' + origin + '"'); // throws with the fix for a quoted keyword
                }
                return origin(feature, origin);
            }
            int start = pos;
            while (pos < input.length() && " ),;\t\"(".indexOf(input.charAt(pos)) < 0) {
                pos++;
            }
            String token = input.substring(start, pos);
            if (token.equals(SELF) || token.equals(ALL)) {
                return token;
            }
            if (token.isEmpty()) {
                throw syntax("expected self, * or a quoted origin in the " + feature + " allowlist");
            }
            // reuse the builder's messages for 'self', 'none', src, …; bare origins must be quoted
            String entry = allowlistEntry(feature, token);
            throw new IllegalArgumentException(
                    feature + " allowlist origin must be a quoted string: " + entry + "; write \"" + entry + "\"");
        }

        private void skipWhitespace() {
            while (pos < input.length() && (input.charAt(pos) == ' ' || input.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private IllegalArgumentException syntax(String rule) {
            return new IllegalArgumentException("permissions policy must be a structured-field dictionary, " + rule
                    + " at index " + pos + ": \"" + input + "\"; write for example camera=(), geolocation=(self)");
        }
    }
}
