package dev.bulwark.core.headers;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static dev.bulwark.core.internal.Checks.requireHeaderValue;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import dev.bulwark.core.RequestView;
import dev.bulwark.core.ResponseHeaders;
import dev.bulwark.core.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The security headers Bulwark adds to every response, with per-path overrides, exemptions and {@code Cache-Control}
 * rules.
 *
 * <p>Defaults ({@link #defaults()}), chosen from OWASP's 2026 recommendations, helmet and Django:
 *
 * <ul>
 *   <li>{@code Strict-Transport-Security: max-age=31536000; includeSubDomains} on secure requests only (RFC 6797
 *       section 7.2 forbids it over plain HTTP); {@code preload} only when asked, and then validated;
 *   <li>{@code X-Content-Type-Options: nosniff};
 *   <li>{@code X-Frame-Options: DENY};
 *   <li>{@code Referrer-Policy: same-origin};
 *   <li>{@code Cross-Origin-Opener-Policy: same-origin};
 *   <li>{@code X-XSS-Protection: 0} (the legacy XSS auditor caused vulnerabilities; {@code 0} turns it off);
 *   <li>opt-in: {@code Cross-Origin-Resource-Policy}, {@code Cross-Origin-Embedder-Policy}, {@code
 *       Permissions-Policy}, {@code Content-Security-Policy} and {@code Content-Security-Policy-Report-Only}, any
 *       custom header, and {@code Cache-Control} rules.
 * </ul>
 *
 * <p><b>Never overwrites:</b> {@link #apply} writes a header only when the response does not already carry it, so a
 * value set earlier (by another filter) wins; the servlet filter additionally lets the application replace any header
 * Bulwark wrote. A CSP may use the placeholder {@code 'nonce-{nonce}'}: the servlet filter then creates a fresh
 * nonce per request (128+ bits from a CSPRNG), exposes it as a request attribute and substitutes it, and the response
 * gets {@code Cache-Control: no-store} unless the application set caching or an explicit path rule applies.
 *
 * <p>Every value is validated when the policy is built; {@link #apply} allocates nothing beyond the nonce-bearing CSP
 * value. Instances are immutable and safe for concurrent use; builders are not thread-safe.
 */
public final class SecurityHeadersPolicy {

    /** {@code Strict-Transport-Security}. */
    public static final String HSTS = "Strict-Transport-Security";
    /** {@code Content-Security-Policy}. */
    public static final String CSP = "Content-Security-Policy";
    /** {@code Content-Security-Policy-Report-Only}. */
    public static final String CSP_REPORT_ONLY = "Content-Security-Policy-Report-Only";
    /** {@code Cache-Control}. */
    public static final String CACHE_CONTROL = "Cache-Control";

    private static final Duration ONE_YEAR = Duration.ofDays(365);
    private static final Set<String> RESERVED_CUSTOM_NAMES = reservedNames();

    private static Set<String> reservedNames() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(List.of(
                CSP,
                CSP_REPORT_ONLY,
                "Set-Cookie",
                "Content-Length",
                "Content-Type",
                "Transfer-Encoding",
                "Connection",
                "Host",
                "Location",
                "Vary"));
        return names;
    }

    private static final String NONCE_CACHE_CONTROL = "no-store";

    /** Values of {@code X-Frame-Options} (RFC 7034); {@code ALLOW-FROM} is obsolete and not offered. */
    public enum FrameOptions {
        DENY,
        SAMEORIGIN;

        /** Returns the header value. */
        public String value() {
            return name();
        }
    }

    /** Values of {@code Referrer-Policy} (W3C Referrer Policy, section 3). */
    public enum ReferrerPolicy {
        NO_REFERRER,
        NO_REFERRER_WHEN_DOWNGRADE,
        ORIGIN,
        ORIGIN_WHEN_CROSS_ORIGIN,
        SAME_ORIGIN,
        STRICT_ORIGIN,
        STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        UNSAFE_URL;

        /** Returns the header value, e.g. {@code same-origin}. */
        public String value() {
            return tokenOf(this);
        }
    }

    /** Values of {@code Cross-Origin-Opener-Policy} (HTML standard). */
    public enum CrossOriginOpenerPolicy {
        SAME_ORIGIN,
        SAME_ORIGIN_ALLOW_POPUPS,
        NOOPENER_ALLOW_POPUPS,
        UNSAFE_NONE;

        /** Returns the header value, e.g. {@code same-origin}. */
        public String value() {
            return tokenOf(this);
        }
    }

    /** Values of {@code Cross-Origin-Resource-Policy} (Fetch standard). */
    public enum CrossOriginResourcePolicy {
        SAME_ORIGIN,
        SAME_SITE,
        CROSS_ORIGIN;

        /** Returns the header value, e.g. {@code same-origin}. */
        public String value() {
            return tokenOf(this);
        }
    }

    /** Values of {@code Cross-Origin-Embedder-Policy} (HTML standard). */
    public enum CrossOriginEmbedderPolicy {
        REQUIRE_CORP,
        CREDENTIALLESS,
        UNSAFE_NONE;

        /** Returns the header value, e.g. {@code require-corp}. */
        public String value() {
            return tokenOf(this);
        }
    }

    private static String tokenOf(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The {@code Strict-Transport-Security} settings (RFC 6797).
     *
     * @param maxAge how long browsers remember to use HTTPS only; not negative
     * @param includeSubDomains whether the rule covers every subdomain
     * @param preload whether to ask for inclusion in browser preload lists; requires a max age of at least one year
     *     and {@code includeSubDomains} (hstspreload.org's rules), and is never on by default
     */
    public record Hsts(Duration maxAge, boolean includeSubDomains, boolean preload) {

        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException if the max age is negative, or preload is asked without its requirements
         */
        public Hsts {
            requireNonNull(maxAge, "maxAge");
            requireArgument(!maxAge.isNegative(), "hsts max-age must not be negative: %s", maxAge);
            if (preload) {
                requireArgument(
                        maxAge.compareTo(ONE_YEAR) >= 0,
                        "hsts preload requires a max-age of at least one year (31536000 seconds), got %s seconds;"
                                + " raise max-age or turn preload off",
                        maxAge.toSeconds());
                requireArgument(
                        includeSubDomains,
                        "hsts preload requires include-subdomains=true; enable it or turn preload off");
            }
        }

        /** Returns the default: one year, subdomains included, no preload. */
        public static Hsts defaults() {
            return new Hsts(ONE_YEAR, true, false);
        }

        /** Returns the header value, e.g. {@code max-age=31536000; includeSubDomains}. */
        public String value() {
            StringBuilder sb = new StringBuilder("max-age=").append(maxAge.toSeconds());
            if (includeSubDomains) {
                sb.append("; includeSubDomains");
            }
            if (preload) {
                sb.append("; preload");
            }
            return sb.toString();
        }
    }

    /** One header line the policy writes. Index is the slot reported by {@link #apply}. */
    private record Header(String name, String value, boolean secureOnly, int slot) {}

    /** The headers for one path group, fully resolved at build time. */
    private record HeaderSet(
            Header[] headers,
            @Nullable Header csp,
            @Nullable Header cspReportOnly) {}

    private record PathOverride(PathPattern pattern, HeaderSet headers) {}

    private record CacheRule(PathPattern pattern, String value) {}

    private final Builder settings;
    private final HeaderSet defaultSet;
    private final List<PathOverride> overrides;
    private final List<PathPattern> exemptions;
    private final List<CacheRule> cacheRules;
    private final @Nullable String defaultCacheControl;
    private final boolean usesNonce;
    private final TreeMap<String, Integer> slots;
    private final int cacheControlSlot;
    private final boolean pathIndependent;
    private final boolean cacheControlMayApply;

    private SecurityHeadersPolicy(Builder b) {
        this.settings = b.copy();
        this.slots = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> base = b.baseHeaders();
        for (String name : base.keySet()) {
            slot(name);
        }
        for (Map<String, @Nullable String> o : b.overrides.values()) {
            for (String name : o.keySet()) {
                slot(name);
            }
        }
        slot(CSP);
        slot(CSP_REPORT_ONLY);
        this.cacheControlSlot = slot(CACHE_CONTROL);
        requireArgument(slots.size() <= 63, "too many distinct security headers configured: %s", slots.size());

        this.defaultSet = headerSet(base, b);
        List<PathOverride> list = new ArrayList<>();
        b.overrides.forEach((pattern, changes) -> {
            Map<String, String> merged = new LinkedHashMap<>(base);
            changes.forEach((name, value) -> {
                merged.keySet().removeIf(k -> k.equalsIgnoreCase(name));
                if (value != null) {
                    merged.put(name, value);
                }
            });
            list.add(new PathOverride(PathPattern.of(pattern), headerSet(merged, b)));
        });
        this.overrides = List.copyOf(list);
        this.exemptions = PathPattern.listOf(b.exemptions);
        List<CacheRule> rules = new ArrayList<>();
        b.cacheRules.forEach((pattern, value) -> rules.add(new CacheRule(PathPattern.of(pattern), value)));
        this.cacheRules = List.copyOf(rules);
        this.defaultCacheControl = b.defaultCacheControl;
        this.pathIndependent = overrides.isEmpty() && exemptions.isEmpty() && cacheRules.isEmpty();
        this.cacheControlMayApply = !cacheRules.isEmpty() || defaultCacheControl != null;
        this.usesNonce =
                (b.csp != null && b.csp.usesNonce()) || (b.cspReportOnly != null && b.cspReportOnly.usesNonce());
    }

    private int slot(String name) {
        return slots.computeIfAbsent(name, n -> slots.size());
    }

    private HeaderSet headerSet(Map<String, String> headers, Builder b) {
        List<Header> list = new ArrayList<>();
        headers.forEach((name, value) -> list.add(new Header(name, value, name.equalsIgnoreCase(HSTS), slot(name))));
        Header csp = b.csp == null ? null : new Header(CSP, b.csp.toString(), false, slot(CSP));
        Header cspRo = b.cspReportOnly == null
                ? null
                : new Header(CSP_REPORT_ONLY, b.cspReportOnly.toString(), false, slot(CSP_REPORT_ONLY));
        return new HeaderSet(list.toArray(new Header[0]), csp, cspRo);
    }

    /** Returns the default policy described in the class documentation. */
    public static SecurityHeadersPolicy defaults() {
        return builder().build();
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this policy's settings. */
    public Builder toBuilder() {
        return settings.copy();
    }

    /** Returns whether a CSP of this policy uses the {@code 'nonce-{nonce}'} placeholder. */
    public boolean usesNonce() {
        return usesNonce;
    }

    /** Returns whether the path is exempt from every header of this policy. */
    public boolean isExempt(String path) {
        return PathPattern.anyMatches(exemptions, path);
    }

    /**
     * Returns the slot of a header this policy may write, or {@code -1}. Slots identify headers in the bit set
     * returned by {@link #apply}; names are case-insensitive.
     */
    public int slotOf(String headerName) {
        Integer slot = slots.get(headerName);
        return slot == null ? -1 : slot;
    }

    /**
     * Returns whether this policy writes the same headers on every path (no exemption, override or cache rule), so
     * that callers may skip computing the request path and pass any value to {@link #apply(String, boolean,
     * ResponseHeaders, String)}.
     */
    public boolean pathIndependent() {
        return pathIndependent;
    }

    /**
     * Writes this policy's headers for the request into the response, skipping every header the response already
     * carries.
     *
     * <p>Runs on the request thread before the application; HSTS only when {@code secure} is true.
     *
     * @param request the request, read for its path
     * @param secure whether the request is secure as seen by the client (proxy-aware)
     * @param response the header sink
     * @param nonce the per-request CSP nonce when {@link #usesNonce()} (a fresh one is made if it is {@code null}),
     *     else ignored
     * @return a bit set of the {@linkplain #slotOf(String) slots} written
     */
    public long apply(RequestView request, boolean secure, ResponseHeaders response, @Nullable String nonce) {
        return apply(pathIndependent ? "/" : request.path(), secure, response, nonce);
    }

    /**
     * Writes this policy's headers for a request to {@code path}; see {@link #apply(RequestView, boolean,
     * ResponseHeaders, String)}. Allocates nothing unless a nonce-bearing CSP is written.
     *
     * @param path the path within the application (see {@link RequestView#path()})
     * @return a bit set of the {@linkplain #slotOf(String) slots} written
     */
    public long apply(String path, boolean secure, ResponseHeaders response, @Nullable String nonce) {
        HeaderSet set = defaultSet;
        if (!pathIndependent) {
            if (!exemptions.isEmpty() && PathPattern.anyMatches(exemptions, path)) {
                return 0L;
            }
            for (int i = 0, n = overrides.size(); i < n; i++) {
                PathOverride o = overrides.get(i);
                if (o.pattern().matches(path)) {
                    set = o.headers();
                    break;
                }
            }
        }
        long written = 0L;
        Header[] headers = set.headers();
        if (response.isEmpty()) {
            // nothing to preserve: add without a lookup per header (names within a set are distinct)
            for (int i = 0; i < headers.length; i++) {
                Header h = headers[i];
                if (secure || !h.secureOnly()) {
                    response.add(h.name(), h.value());
                    written |= 1L << h.slot();
                }
            }
        } else {
            for (int i = 0; i < headers.length; i++) {
                Header h = headers[i];
                if ((secure || !h.secureOnly()) && !response.contains(h.name())) {
                    response.set(h.name(), h.value());
                    written |= 1L << h.slot();
                }
            }
        }
        if (set.csp() != null) {
            written |= writeCsp(set.csp(), response, nonce, settings.csp);
        }
        if (set.cspReportOnly() != null) {
            written |= writeCsp(set.cspReportOnly(), response, nonce, settings.cspReportOnly);
        }
        if (cacheControlMayApply || nonce != null) {
            String cache = cacheControlFor(path, nonce != null);
            if (cache != null && !response.contains(CACHE_CONTROL)) {
                response.set(CACHE_CONTROL, cache);
                written |= 1L << cacheControlSlot;
            }
        }
        return written;
    }

    private static long writeCsp(
            @Nullable Header header,
            ResponseHeaders response,
            @Nullable String nonce,
            @Nullable ContentSecurityPolicy policy) {
        if (header == null || policy == null || response.contains(header.name())) {
            return 0L;
        }
        String value;
        if (policy.usesNonce()) {
            // never send the placeholder: a caller that passed no nonce still gets a fresh one
            value = policy.render(nonce != null ? nonce : ContentSecurityPolicy.newNonce());
        } else {
            value = header.value();
        }
        response.set(header.name(), value);
        return 1L << header.slot();
    }

    /**
     * Returns the {@code Cache-Control} value Bulwark would add for the path, if the application sets none: the first
     * matching path rule, else {@code no-store} for a response carrying a CSP nonce, else the default for dynamic
     * responses.
     */
    public @Nullable String cacheControlFor(String path, boolean nonce) {
        for (int i = 0, n = cacheRules.size(); i < n; i++) {
            CacheRule rule = cacheRules.get(i);
            if (rule.pattern().matches(path)) {
                return rule.value();
            }
        }
        return nonce ? NONCE_CACHE_CONTROL : defaultCacheControl;
    }

    /** Returns the HSTS settings, if HSTS is on. */
    public Optional<Hsts> hsts() {
        return Optional.ofNullable(settings.hsts);
    }

    /** Returns the enforced CSP, if any. */
    public Optional<ContentSecurityPolicy> contentSecurityPolicy() {
        return Optional.ofNullable(settings.csp);
    }

    /** Returns the report-only CSP, if any. */
    public Optional<ContentSecurityPolicy> contentSecurityPolicyReportOnly() {
        return Optional.ofNullable(settings.cspReportOnly);
    }

    /**
     * Returns the headers written on a request to {@code path} (insertion-ordered, CSP with its placeholder), for
     * documentation, reports and tests.
     */
    public Map<String, String> headersFor(String path, boolean secure) {
        Map<String, String> result = new LinkedHashMap<>();
        if (isExempt(path)) {
            return result;
        }
        HeaderSet set = defaultSet;
        for (PathOverride o : overrides) {
            if (o.pattern().matches(path)) {
                set = o.headers();
                break;
            }
        }
        for (Header h : set.headers()) {
            if (!h.secureOnly() || secure) {
                result.put(h.name(), h.value());
            }
        }
        if (set.csp() != null) {
            result.put(CSP, set.csp().value());
        }
        if (set.cspReportOnly() != null) {
            result.put(CSP_REPORT_ONLY, set.cspReportOnly().value());
        }
        String cache = cacheControlFor(path, false);
        if (cache != null) {
            result.put(CACHE_CONTROL, cache);
        }
        return result;
    }

    @Override
    public String toString() {
        return "SecurityHeadersPolicy" + headersFor("/", true);
    }

    /**
     * Builds a {@link SecurityHeadersPolicy}. Starts from the defaults; a {@code null} argument turns that header off.
     * Each setter validates its argument eagerly; {@link #build()} validates the combination and leaves the builder
     * reusable. Not thread-safe.
     */
    public static final class Builder {
        private @Nullable Hsts hsts = Hsts.defaults();
        private boolean contentTypeOptions = true;
        private @Nullable FrameOptions frameOptions = FrameOptions.DENY;
        private @Nullable ReferrerPolicy referrerPolicy = ReferrerPolicy.SAME_ORIGIN;
        private @Nullable CrossOriginOpenerPolicy crossOriginOpenerPolicy = CrossOriginOpenerPolicy.SAME_ORIGIN;
        private @Nullable CrossOriginResourcePolicy crossOriginResourcePolicy;
        private @Nullable CrossOriginEmbedderPolicy crossOriginEmbedderPolicy;
        private boolean xssProtection = true;
        private @Nullable PermissionsPolicy permissionsPolicy;
        private @Nullable ContentSecurityPolicy csp;
        private @Nullable ContentSecurityPolicy cspReportOnly;
        private final Map<String, String> customHeaders = new LinkedHashMap<>();
        private final Map<String, Map<String, @Nullable String>> overrides = new LinkedHashMap<>();
        private final List<String> exemptions = new ArrayList<>();
        private final Map<String, String> cacheRules = new LinkedHashMap<>();
        private @Nullable String defaultCacheControl;

        private Builder() {}

        private Builder copy() {
            Builder b = new Builder();
            b.hsts = hsts;
            b.contentTypeOptions = contentTypeOptions;
            b.frameOptions = frameOptions;
            b.referrerPolicy = referrerPolicy;
            b.crossOriginOpenerPolicy = crossOriginOpenerPolicy;
            b.crossOriginResourcePolicy = crossOriginResourcePolicy;
            b.crossOriginEmbedderPolicy = crossOriginEmbedderPolicy;
            b.xssProtection = xssProtection;
            b.permissionsPolicy = permissionsPolicy;
            b.csp = csp;
            b.cspReportOnly = cspReportOnly;
            b.customHeaders.putAll(customHeaders);
            overrides.forEach((k, v) -> b.overrides.put(k, new LinkedHashMap<>(v)));
            b.exemptions.addAll(exemptions);
            b.cacheRules.putAll(cacheRules);
            b.defaultCacheControl = defaultCacheControl;
            return b;
        }

        /** Sets HSTS (default: one year, subdomains, no preload); {@code null} turns it off. */
        public Builder hsts(@Nullable Hsts hsts) {
            this.hsts = hsts;
            return this;
        }

        /** Sets whether to send {@code X-Content-Type-Options: nosniff} (default true). */
        public Builder contentTypeOptions(boolean enabled) {
            this.contentTypeOptions = enabled;
            return this;
        }

        /** Sets {@code X-Frame-Options} (default {@code DENY}); {@code null} turns it off. */
        public Builder frameOptions(@Nullable FrameOptions frameOptions) {
            this.frameOptions = frameOptions;
            return this;
        }

        /** Sets {@code Referrer-Policy} (default {@code same-origin}); {@code null} turns it off. */
        public Builder referrerPolicy(@Nullable ReferrerPolicy referrerPolicy) {
            this.referrerPolicy = referrerPolicy;
            return this;
        }

        /** Sets {@code Cross-Origin-Opener-Policy} (default {@code same-origin}); {@code null} turns it off. */
        public Builder crossOriginOpenerPolicy(@Nullable CrossOriginOpenerPolicy policy) {
            this.crossOriginOpenerPolicy = policy;
            return this;
        }

        /** Sets {@code Cross-Origin-Resource-Policy} (default off). */
        public Builder crossOriginResourcePolicy(@Nullable CrossOriginResourcePolicy policy) {
            this.crossOriginResourcePolicy = policy;
            return this;
        }

        /** Sets {@code Cross-Origin-Embedder-Policy} (default off). */
        public Builder crossOriginEmbedderPolicy(@Nullable CrossOriginEmbedderPolicy policy) {
            this.crossOriginEmbedderPolicy = policy;
            return this;
        }

        /** Sets whether to send {@code X-XSS-Protection: 0} (default true), which disables the legacy auditor. */
        public Builder xssProtection(boolean enabled) {
            this.xssProtection = enabled;
            return this;
        }

        /** Sets {@code Permissions-Policy} (default off). */
        public Builder permissionsPolicy(@Nullable PermissionsPolicy policy) {
            this.permissionsPolicy = policy;
            return this;
        }

        /** Sets the enforced {@code Content-Security-Policy} (default off). */
        public Builder contentSecurityPolicy(@Nullable ContentSecurityPolicy policy) {
            this.csp = policy;
            return this;
        }

        /** Sets {@code Content-Security-Policy-Report-Only} (default off); may be combined with an enforced CSP. */
        public Builder contentSecurityPolicyReportOnly(@Nullable ContentSecurityPolicy policy) {
            this.cspReportOnly = policy;
            return this;
        }

        /**
         * Adds a custom header sent like the others (only when the response has none of that name).
         *
         * @throws IllegalArgumentException if the name is not a token or the value contains control characters
         */
        public Builder header(String name, String value) {
            requireHeaderName(name, "custom header name");
            requireNonNull(value, "value");
            requireHeaderValue("header " + name, value);
            requireArgument(
                    !isManagedByCacheRules(name),
                    "configure Cache-Control with cacheControl(..) rules, not header(..)");
            requireArgument(
                    !RESERVED_CUSTOM_NAMES.contains(name),
                    "header %s cannot be set as a custom header: %s",
                    name,
                    name.equalsIgnoreCase(CSP) || name.equalsIgnoreCase(CSP_REPORT_ONLY)
                            ? "use the content security policy settings, which validate it"
                            : "it controls message framing, cookies or routing");
            customHeaders.put(name, value);
            return this;
        }

        /**
         * Changes one header on the paths matching the pattern; {@code null} removes it there. The first matching
         * override pattern wins.
         *
         * @throws IllegalArgumentException if the pattern, the name or the value is invalid
         */
        public Builder override(String pathPattern, String headerName, @Nullable String value) {
            PathPattern.of(pathPattern);
            requireHeaderName(headerName, "override header name");
            requireArgument(
                    !isManagedByCacheRules(headerName),
                    "configure Cache-Control with cacheControl(..) rules, not override(..)");
            requireArgument(
                    !headerName.equalsIgnoreCase(CSP) && !headerName.equalsIgnoreCase(CSP_REPORT_ONLY),
                    "a content security policy cannot be overridden per path; exempt the path instead");
            if (value != null) {
                requireHeaderValue("override " + headerName + " for " + pathPattern, value);
            }
            overrides.computeIfAbsent(pathPattern, k -> new LinkedHashMap<>()).put(headerName, value);
            return this;
        }

        /** Exempts paths from every header of this policy (for example a legacy page framed elsewhere). */
        public Builder exempt(String... pathPatterns) {
            for (String p : pathPatterns) {
                PathPattern.of(p);
                exemptions.add(p);
            }
            return this;
        }

        /**
         * Adds a {@code Cache-Control} rule for paths matching the pattern, used when the application sets none, e.g.
         * {@code cacheControl("/static/**", "public, max-age=31536000, immutable")}. The first matching rule wins.
         */
        public Builder cacheControl(String pathPattern, String value) {
            PathPattern.of(pathPattern);
            requireNonNull(value, "value");
            requireHeaderValue("cache-control for " + pathPattern, value);
            cacheRules.put(pathPattern, value);
            return this;
        }

        /**
         * Sets the {@code Cache-Control} for responses no rule matches and the application left without one, e.g.
         * {@code no-store} (default: none).
         */
        public Builder defaultCacheControl(@Nullable String value) {
            if (value != null) {
                requireHeaderValue("default cache-control", value);
            }
            this.defaultCacheControl = value;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException if a path pattern is invalid
         */
        public SecurityHeadersPolicy build() {
            return new SecurityHeadersPolicy(copy());
        }

        private Map<String, String> baseHeaders() {
            Map<String, String> h = new LinkedHashMap<>();
            if (hsts != null) {
                h.put(HSTS, hsts.value());
            }
            if (contentTypeOptions) {
                h.put("X-Content-Type-Options", "nosniff");
            }
            if (frameOptions != null) {
                h.put("X-Frame-Options", frameOptions.value());
            }
            if (referrerPolicy != null) {
                h.put("Referrer-Policy", referrerPolicy.value());
            }
            if (crossOriginOpenerPolicy != null) {
                h.put("Cross-Origin-Opener-Policy", crossOriginOpenerPolicy.value());
            }
            if (crossOriginResourcePolicy != null) {
                h.put("Cross-Origin-Resource-Policy", crossOriginResourcePolicy.value());
            }
            if (crossOriginEmbedderPolicy != null) {
                h.put("Cross-Origin-Embedder-Policy", crossOriginEmbedderPolicy.value());
            }
            if (xssProtection) {
                h.put("X-XSS-Protection", "0");
            }
            if (permissionsPolicy != null) {
                h.put("Permissions-Policy", permissionsPolicy.render());
            }
            customHeaders.forEach((name, value) -> {
                h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
                h.put(name, value);
            });
            return h;
        }

        private static boolean isManagedByCacheRules(String name) {
            return name.equalsIgnoreCase(CACHE_CONTROL);
        }

        private static void requireHeaderName(String name, String setting) {
            requireNonNull(name, setting);
            requireArgument(
                    Checks.isToken(name),
                    "%s must be an HTTP token (letters, digits, '-'): '%s'",
                    setting,
                    escape(name));
        }
    }
}
