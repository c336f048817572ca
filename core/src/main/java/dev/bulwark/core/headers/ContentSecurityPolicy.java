package dev.bulwark.core.headers;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A validated Content Security Policy (<a href="https://www.w3.org/TR/CSP3/">CSP Level 3</a>), rendered as the value
 * of a {@code Content-Security-Policy} or {@code Content-Security-Policy-Report-Only} header. Instances are immutable
 * and safe for concurrent use; builders are not. There is no default policy: start from {@link #owaspDefault()} or
 * {@link #builder()}.
 *
 * <p>The header value is rendered once, at {@link Builder#build()}. Whether a policy is enforced or report-only is
 * decided by whoever sends it, not by this class.
 *
 * <p>All validation happens when the policy is configured, never on the request path. Directive names must be known
 * CSP3 directives (obsolete ones such as {@code block-all-mixed-content} and {@code prefetch-src} are rejected with a
 * replacement); keywords must be single-quoted ({@code 'self'}, not {@code self}, which a browser would read as a host
 * named "self"); {@code 'none'} must stand alone; hashes must be a base64 SHA-256/384/512 digest of the right length;
 * values must not contain whitespace, control characters, {@code ;} or {@code ,}, so a configured value can never
 * inject another directive, policy or header. Directive names and keywords are case-insensitive and normalised to
 * lower case. Setting a directive twice merges the values, dropping duplicates (a browser would ignore the second
 * occurrence instead).
 *
 * <p><b>Nonces:</b> a fixed nonce would be replayable, so the only nonce source allowed is the placeholder {@code
 * 'nonce-{nonce}'} ({@link #NONCE_SOURCE}). A policy that contains it {@linkplain #usesNonce() uses a nonce} and must be rendered per response
 * with {@link #render(String)} and a fresh {@link #newNonce()}; such responses must not be stored in shared caches.
 *
 * <pre>{@code
 * ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
 *     .defaultSrc("'self'")
 *     .scriptSrc("'self'", ContentSecurityPolicy.NONCE_SOURCE, "'strict-dynamic'")
 *     .objectSrc("'none'")
 *     .baseUri("'none'")
 *     .build();
 * // per response:
 * String nonce = ContentSecurityPolicy.newNonce();
 * response.setHeader("Content-Security-Policy", csp.render(nonce));
 * }</pre>
 */
public final class ContentSecurityPolicy {

    /** The placeholder that {@link #render(String)} replaces with the per-response nonce. */
    public static final String NONCE_PLACEHOLDER = "{nonce}";

    /** The source expression that marks per-response nonce use: {@code 'nonce-{nonce}'}. */
    public static final String NONCE_SOURCE = CspGrammar.NONCE_SOURCE;

    /** 18 random bytes: 144 bits, which base64-encode to 24 characters without padding. */
    private static final int NONCE_BYTES = 18;

    /** 128 bits, the minimum CSP3 section 7.1 recommends, is at least 22 base64 characters. */
    private static final int MIN_NONCE_LENGTH = 22;

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final ContentSecurityPolicy OWASP_DEFAULT = builder()
            .defaultSrc("'self'")
            .formAction("'self'")
            .baseUri("'self'")
            .objectSrc("'none'")
            .frameAncestors("'none'")
            .upgradeInsecureRequests()
            .build();

    private final Map<String, List<String>> directives;
    private final String template;
    /** The fixed text between nonce placeholders; a single element when the policy uses no nonce. */
    private final String[] parts;

    private final int fixedLength;

    private ContentSecurityPolicy(Map<String, List<String>> directives) {
        this.directives = Collections.unmodifiableMap(new LinkedHashMap<>(directives));
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : directives.entrySet()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(e.getKey());
            for (String value : e.getValue()) {
                sb.append(' ').append(value);
            }
        }
        this.template = sb.toString();
        List<String> split = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = template.indexOf(NONCE_PLACEHOLDER, from)) >= 0) {
            split.add(template.substring(from, at));
            from = at + NONCE_PLACEHOLDER.length();
        }
        split.add(template.substring(from));
        this.parts = split.toArray(new String[0]);
        int length = 0;
        for (String part : parts) {
            length += part.length();
        }
        this.fixedLength = length;
    }

    /** Returns a new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the policy the OWASP Secure Headers Project recommends: {@code default-src 'self'; form-action 'self';
     * base-uri 'self'; object-src 'none'; frame-ancestors 'none'; upgrade-insecure-requests}.
     *
     * <p>It allows no inline script or style; derive from it with {@link #toBuilder()}.
     */
    public static ContentSecurityPolicy owaspDefault() {
        return OWASP_DEFAULT;
    }

    /**
     * Parses and validates a serialized policy such as {@code default-src 'self'; img-src 'self' data:}, as written in
     * configuration.
     *
     * <p>Directives are separated by {@code ;}, values by spaces or tabs; empty directives are ignored; a repeated
     * directive is merged into the first one. Validation is the same as the builder's.
     *
     * @param headerValue one serialized policy
     * @return the validated policy
     * @throws IllegalArgumentException if the value contains control or non-ASCII characters, contains {@code ,}
     *     (which separates several policies), has no directive, or any directive or value is invalid; the message
     *     names the offending directive and value
     */
    public static ContentSecurityPolicy parse(String headerValue) {
        requireNonNull(headerValue, "headerValue");
        for (int i = 0; i < headerValue.length(); i++) {
            char c = headerValue.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                throw new IllegalArgumentException("content security policy must contain only visible ASCII"
                        + " characters, spaces and tabs: \"" + Checks.escape(headerValue)
                        + "\"; remove line breaks and write international domain names in punycode (xn--…)");
            }
            if (c == ',') {
                throw new IllegalArgumentException("content security policy must not contain ',': \""
                        + headerValue + "\"; a comma separates two policies, so configure one policy and join its"
                        + " directives with ';'");
            }
        }
        Builder builder = builder();
        for (String directive : headerValue.split(";", -1)) {
            String trimmed = directive.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] tokens = trimmed.split("[ \t]+");
            String[] values = new String[tokens.length - 1];
            System.arraycopy(tokens, 1, values, 0, values.length);
            builder.directive(tokens[0], values);
        }
        if (builder.directives.isEmpty()) {
            throw new IllegalArgumentException("content security policy must contain at least one directive: \""
                    + headerValue + "\"; for example default-src 'self'");
        }
        return builder.build();
    }

    /**
     * Returns a fresh nonce: 144 bits from a shared {@link SecureRandom}, as 24 characters of standard base64 without
     * padding, which matches CSP3's {@code base64-value} and needs no escaping in HTML attributes.
     *
     * <p>Safe for concurrent use. Call it once per response and use the same value in the header and in every {@code
     * nonce} attribute of that response.
     */
    public static String newNonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Returns whether the policy contains {@code 'nonce-{nonce}'} and so must be rendered with {@link #render(String)}. */
    public boolean usesNonce() {
        return parts.length > 1;
    }

    /**
     * Returns the header value of a policy that {@linkplain #usesNonce() uses no nonce}.
     *
     * @throws IllegalStateException if the policy uses a nonce
     */
    public String render() {
        if (parts.length > 1) {
            throw new IllegalStateException("content security policy uses " + NONCE_SOURCE
                    + " and needs a fresh nonce per response; call render(ContentSecurityPolicy.newNonce())");
        }
        return template;
    }

    /**
     * Returns the header value with every nonce placeholder replaced by the nonce.
     *
     * <p>Runs on the request path: a length check, a character scan and one pre-sized string concatenation. A policy
     * without nonce returns its fixed value, so callers may always pass a nonce.
     *
     * @param nonce a fresh nonce for this response, normally from {@link #newNonce()}
     * @throws IllegalArgumentException if the nonce is shorter than 22 characters (128 bits) or is not CSP3 base64
     */
    public String render(String nonce) {
        requireNonNull(nonce, "nonce");
        if (nonce.length() < MIN_NONCE_LENGTH || !CspGrammar.isBase64Value(nonce)) {
            throw new IllegalArgumentException("content security policy nonce must be at least " + MIN_NONCE_LENGTH
                    + " base64 characters (128 bits): \"" + Checks.escape(nonce)
                    + "\"; use ContentSecurityPolicy.newNonce()");
        }
        if (parts.length == 1) {
            return template;
        }
        StringBuilder sb = new StringBuilder(fixedLength + nonce.length() * (parts.length - 1));
        sb.append(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(nonce).append(parts[i]);
        }
        return sb.toString();
    }

    /**
     * Returns the directives in insertion order, each with its normalised values (empty for value-less directives
     * such as {@code upgrade-insecure-requests}).
     */
    public Map<String, List<String>> directives() {
        return directives;
    }

    /** Returns a builder holding this policy's directives. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.directives.putAll(directives);
        return builder;
    }

    /** Returns the header value, with the nonce placeholder where a nonce goes; {@link #parse(String)} accepts it. */
    @Override
    public String toString() {
        return template;
    }

    /** Returns whether the other object is a policy that renders the same header value. */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ContentSecurityPolicy other && template.equals(other.template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    /**
     * A builder of {@link ContentSecurityPolicy}. Not thread-safe; {@link #build()} leaves it reusable.
     *
     * <p>Each method validates its values at once and changes nothing when it throws. Calling a method again for the
     * same directive adds to its values; use {@link #remove(String)} to replace them.
     */
    public static final class Builder {

        private final Map<String, List<String>> directives = new LinkedHashMap<>();

        private Builder() {}

        /** Adds sources to {@code default-src}, the fallback for the other fetch directives. */
        public Builder defaultSrc(String... sources) {
            return directive("default-src", sources);
        }

        /** Adds sources to {@code script-src}. */
        public Builder scriptSrc(String... sources) {
            return directive("script-src", sources);
        }

        /** Adds sources to {@code style-src}. */
        public Builder styleSrc(String... sources) {
            return directive("style-src", sources);
        }

        /** Adds sources to {@code img-src}. */
        public Builder imgSrc(String... sources) {
            return directive("img-src", sources);
        }

        /** Adds sources to {@code connect-src} (fetch, XHR, WebSocket, EventSource). */
        public Builder connectSrc(String... sources) {
            return directive("connect-src", sources);
        }

        /** Adds sources to {@code font-src}. */
        public Builder fontSrc(String... sources) {
            return directive("font-src", sources);
        }

        /** Adds sources to {@code object-src}; OWASP recommends {@code 'none'}. */
        public Builder objectSrc(String... sources) {
            return directive("object-src", sources);
        }

        /** Adds sources to {@code media-src}. */
        public Builder mediaSrc(String... sources) {
            return directive("media-src", sources);
        }

        /** Adds sources to {@code frame-src}. */
        public Builder frameSrc(String... sources) {
            return directive("frame-src", sources);
        }

        /** Adds sources to {@code child-src}. */
        public Builder childSrc(String... sources) {
            return directive("child-src", sources);
        }

        /** Adds sources to {@code worker-src}. */
        public Builder workerSrc(String... sources) {
            return directive("worker-src", sources);
        }

        /** Adds sources to {@code manifest-src}. */
        public Builder manifestSrc(String... sources) {
            return directive("manifest-src", sources);
        }

        /** Adds sources to {@code form-action}, which restricts form submission targets. */
        public Builder formAction(String... sources) {
            return directive("form-action", sources);
        }

        /**
         * Adds sources to {@code frame-ancestors}, which restricts who may frame the page and supersedes {@code
         * X-Frame-Options}; only {@code 'self'}, {@code 'none'}, schemes and hosts are allowed.
         */
        public Builder frameAncestors(String... sources) {
            return directive("frame-ancestors", sources);
        }

        /** Adds sources to {@code base-uri}, which restricts {@code <base href>}. */
        public Builder baseUri(String... sources) {
            return directive("base-uri", sources);
        }

        /**
         * Adds {@code upgrade-insecure-requests} (<a href="https://www.w3.org/TR/upgrade-insecure-requests/">UIR</a>).
         * Browsers ignore it in a report-only policy.
         */
        public Builder upgradeInsecureRequests() {
            return directive("upgrade-insecure-requests");
        }

        /**
         * Adds {@code sandbox} with the given {@code allow-*} tokens; no token applies the strictest sandbox. Browsers
         * ignore it in a report-only policy.
         */
        public Builder sandbox(String... tokens) {
            return directive("sandbox", tokens);
        }

        /** Adds a {@code report-uri} endpoint (deprecated by CSP3 in favour of {@link #reportTo(String)}). */
        public Builder reportUri(String uri) {
            return directive("report-uri", uri);
        }

        /** Sets {@code report-to} to a group declared in the {@code Reporting-Endpoints} header. */
        public Builder reportTo(String group) {
            return directive("report-to", group);
        }

        /**
         * Adds values to any known CSP3 directive, for those without a dedicated method: {@code script-src-elem},
         * {@code script-src-attr}, {@code style-src-elem}, {@code style-src-attr}, {@code fenced-frame-src}, {@code
         * trusted-types}, {@code require-trusted-types-for}, {@code webrtc}.
         *
         * @param name the directive name, case-insensitive
         * @param values the values to add; none for a value-less directive
         * @throws IllegalArgumentException if the name is not a known directive, is obsolete, or a value or the
         *     resulting combination is invalid for it
         */
        public Builder directive(String name, String... values) {
            requireNonNull(name, "name");
            requireNonNull(values, "values");
            for (String value : values) {
                requireNonNull(value, "value");
            }
            String key = CspGrammar.directiveName(name);
            @Nullable List<String> existing = directives.get(key);
            directives.put(key, CspGrammar.merge(key, existing, values));
            return this;
        }

        /** Removes a directive and its values, for example to replace a value taken over with {@code toBuilder()}. */
        public Builder remove(String name) {
            requireNonNull(name, "name");
            directives.remove(CspGrammar.directiveName(name));
            return this;
        }

        /**
         * Returns the immutable policy.
         *
         * @throws IllegalStateException if no directive was added
         */
        public ContentSecurityPolicy build() {
            if (directives.isEmpty()) {
                throw new IllegalStateException(
                        "content security policy has no directive; add one, for example defaultSrc(\"'self'\")");
            }
            return new ContentSecurityPolicy(directives);
        }
    }
}
