package dev.bulwark.core.cors;

import static dev.bulwark.core.internal.Checks.escape;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CORS policy: which cross-origin callers may read responses, with which methods and request headers, whether
 * with credentials, and what a preflight answer says (Fetch standard section 3.2).
 *
 * <p>Defaults ({@link #defaults()}) are closed: no origin is allowed and credentials are off; allowed methods are
 * {@code GET, HEAD, POST}; no request header beyond the CORS-safelisted ones and none exposed; preflight answers are
 * cached by browsers for {@value #DEFAULT_MAX_AGE_SECONDS} seconds (Chrome caps this at 7200, Safari at 600); Private
 * Network Access is off.
 *
 * <p>Allowed origins, compared exactly (browsers send origins in lower case; configured ones are lower-cased and a
 * default port dropped):
 *
 * <ul>
 *   <li>exact serialized origins: {@code https://app.example.com}, {@code http://localhost:8080};
 *   <li>subdomain patterns: {@code https://*.example.com} matches one or more whole labels before {@code
 *       .example.com} ({@code https://a.b.example.com}), never {@code https://example.com} or {@code
 *       https://evilexample.com}; a pattern on a public suffix ({@code https://*.co.uk}, {@code https://*.github.io})
 *       is refused, as anyone can register a site there;
 *   <li>port patterns: {@code https://example.com:*} matches any port, the default one included; both wildcards may
 *       be combined;
 *   <li>{@code *}: any origin, answered with {@code Access-Control-Allow-Origin: *}; only without credentials;
 *   <li>an optional regular expression ({@link Builder#allowedOriginRegex}), always matched against the whole origin
 *       and only after the origin passed the strict grammar; it logs a warning when the policy is built.
 * </ul>
 *
 * <p>Refused when configured, with a message naming the setting, the value and the fix: {@code null} and opaque
 * origins ({@code file:}, {@code data:}), anything that is not a serialized origin (a path, a trailing {@code /}, user
 * info, a trailing dot, a bad port, control characters, non-ASCII hosts), {@code *} (as origin, method, request or
 * exposed header) with credentials (Fetch standard section 3.2.5: browsers then read {@code *} literally), {@code
 * http://} origins other than loopback ones with credentials unless {@link Builder#allowInsecureOrigins(boolean)}, and
 * a max age outside 0..86400 seconds.
 *
 * <p>Methods are case-sensitive ({@code PATCH} is not {@code patch}); header names are not, and are compared and
 * echoed in lower case. {@code *} in allowed request headers never covers {@code Authorization}, which must be listed
 * (Fetch standard, "CORS non-wildcard request-header name").
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe.
 */
public final class CorsPolicy {

    /** Default {@code Access-Control-Max-Age} in seconds, also the largest accepted (Firefox's cap). */
    public static final long DEFAULT_MAX_AGE_SECONDS = 86_400;

    /** Default allowed methods: the CORS-safelisted methods {@code GET}, {@code HEAD} and {@code POST}. */
    public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");

    static final String WILDCARD = "*";
    static final String AUTHORIZATION = "authorization";

    private static final Logger log = LoggerFactory.getLogger(CorsPolicy.class);

    /** Methods browsers upper-case before sending (Fetch standard, "normalize a method"). */
    private static final Set<String> NORMALIZED_METHODS = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT");
    /** Methods browsers refuse to send (Fetch standard, "forbidden method"). */
    private static final Set<String> FORBIDDEN_METHODS = Set.of("CONNECT", "TRACE", "TRACK");
    /** Origins no reasonable regex allows; a regex matching one of them matches arbitrary origins. */
    private static final List<String> CANARY_ORIGINS =
            List.of("https://bulwark-canary.invalid", "http://bulwark-canary.invalid:8080");

    private final Builder settings;
    private final List<String> allowedOrigins;
    private final @Nullable Pattern originRegex;
    private final boolean anyOrigin;
    private final Set<String> exactOrigins;
    private final OriginRule[] originPatterns;
    private final List<String> allowedMethods;
    private final Set<String> methodSet;
    private final boolean anyMethod;
    private final List<String> allowedHeaders;
    private final Set<String> headerSet;
    private final boolean anyHeader;
    private final List<String> exposedHeaders;
    private final boolean allowCredentials;
    private final boolean allowPrivateNetwork;
    private final boolean allowInsecureOrigins;
    private final Duration maxAge;

    // pre-rendered at build time
    private final String methodsValue;
    private final @Nullable String headersValue;
    private final String maxAgeValue;
    private final String[] actualHeaders;
    private final boolean varyOrigin;

    private CorsPolicy(Builder b) {
        this.settings = b.copy(b.context);
        List<String> origins = new ArrayList<>();
        Set<String> exact = new HashSet<>();
        List<OriginRule> patterns = new ArrayList<>();
        boolean any = false;
        for (OriginRule rule : b.origins.values()) {
            origins.add(rule.toString());
            if (rule.isAny()) {
                any = true;
            } else if (rule.isExact()) {
                exact.add(rule.toString());
            } else {
                patterns.add(rule);
            }
        }
        this.allowedOrigins = List.copyOf(origins);
        this.anyOrigin = any;
        this.exactOrigins = Set.copyOf(exact);
        this.originPatterns = patterns.toArray(new OriginRule[0]);
        this.originRegex = b.originPattern;
        this.allowedMethods = List.copyOf(b.methods);
        this.methodSet = Set.copyOf(b.methods);
        this.anyMethod = methodSet.contains(WILDCARD);
        this.allowedHeaders = List.copyOf(b.headers);
        this.headerSet = Set.copyOf(b.headers);
        this.anyHeader = headerSet.contains(WILDCARD);
        this.exposedHeaders = List.copyOf(b.exposed);
        this.allowCredentials = b.credentials;
        this.allowPrivateNetwork = b.privateNetwork;
        this.allowInsecureOrigins = b.insecure;
        this.maxAge = b.maxAge;

        this.methodsValue = anyMethod ? WILDCARD : String.join(", ", allowedMethods);
        this.headersValue = anyHeader || allowedHeaders.isEmpty() ? null : String.join(", ", allowedHeaders);
        this.maxAgeValue = Long.toString(maxAge.toSeconds());
        List<String> actual = new ArrayList<>();
        if (allowCredentials) {
            actual.add(CorsHeaders.ALLOW_CREDENTIALS);
            actual.add("true");
        }
        if (!exposedHeaders.isEmpty()) {
            actual.add(CorsHeaders.EXPOSE_HEADERS);
            actual.add(String.join(", ", exposedHeaders));
        }
        this.actualHeaders = actual.toArray(new String[0]);
        boolean allowsSome = any || !exact.isEmpty() || !patterns.isEmpty() || originRegex != null;
        // Vary even for "*": requests without Origin, same-origin and rejected ones get no ACAO, so the response still
        // depends on Origin and a shared cache must not serve one to the other
        this.varyOrigin = allowsSome;
    }

    /** Returns the default policy: no origin allowed, no credentials (see the class documentation). */
    public static CorsPolicy defaults() {
        return builder().build();
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder("cors policy");
    }

    /** Returns a builder whose error messages start with {@code context}, e.g. {@code cors mapping 'api'}. */
    static Builder builder(String context) {
        return new Builder(context);
    }

    /** Returns a builder holding this policy's settings. */
    public Builder toBuilder() {
        return settings.copy("cors policy");
    }

    /** Returns the allowed origins and origin patterns, normalized (lower case, no default port), in order. */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Returns the allowed-origin regular expression, if one is set. */
    public Optional<String> allowedOriginRegex() {
        return Optional.ofNullable(settings.originRegex);
    }

    /** Returns the allowed methods, case as configured ({@code *} for any, only without credentials). */
    public List<String> allowedMethods() {
        return allowedMethods;
    }

    /** Returns the allowed request header names in lower case ({@code *} for any but {@code Authorization}). */
    public List<String> allowedHeaders() {
        return allowedHeaders;
    }

    /** Returns the response header names exposed to scripts ({@code Access-Control-Expose-Headers}). */
    public List<String> exposedHeaders() {
        return exposedHeaders;
    }

    /** Returns whether credentialed requests (cookies, HTTP authentication, client certificates) are allowed. */
    public boolean allowCredentials() {
        return allowCredentials;
    }

    /** Returns how long browsers may cache a preflight answer ({@code Access-Control-Max-Age}). */
    public Duration maxAge() {
        return maxAge;
    }

    /** Returns whether preflights asking for Private Network Access are granted it. */
    public boolean allowPrivateNetwork() {
        return allowPrivateNetwork;
    }

    /** Returns whether non-loopback {@code http://} origins are accepted together with credentials. */
    public boolean allowInsecureOrigins() {
        return allowInsecureOrigins;
    }

    /**
     * Returns whether this policy allows the origin, as sent in an {@code Origin} header (for example to check a
     * WebSocket handshake). Exact: {@code https://EXAMPLE.com} does not match {@code https://example.com}.
     */
    public boolean allowsOrigin(String origin) {
        requireNonNull(origin, "origin");
        int kind = Origins.check(origin);
        return kind != Origins.MALFORMED && allowsOrigin(origin, kind);
    }

    /** Returns whether the origin, classified by {@link Origins#check}, is allowed; allocates only for a regex. */
    boolean allowsOrigin(String origin, int kind) {
        if (anyOrigin) {
            return true;
        }
        if (kind != Origins.SERIALIZED) {
            return false;
        }
        if (exactOrigins.contains(origin)) {
            return true;
        }
        for (OriginRule rule : originPatterns) {
            if (rule.matches(origin)) {
                return true;
            }
        }
        Pattern regex = originRegex;
        return regex != null && regex.matcher(origin).matches();
    }

    /** Returns whether a preflight may ask for this method (case-sensitive). */
    boolean allowsMethod(String method) {
        return anyMethod || methodSet.contains(method);
    }

    /** Returns whether an actual request may use this method: the safelisted ones always may (Fetch standard). */
    boolean allowsActualMethod(String method) {
        return method.equals("GET") || method.equals("POST") || method.equals("HEAD") || allowsMethod(method);
    }

    /** Returns whether a preflight may ask for this request header. */
    boolean allowsHeader(String lowerCaseName) {
        return headerSet.contains(lowerCaseName) || (anyHeader && !lowerCaseName.equals(AUTHORIZATION));
    }

    boolean anyOrigin() {
        return anyOrigin;
    }

    boolean anyHeader() {
        return anyHeader;
    }

    /** Returns whether responses vary on {@code Origin}: some origin is allowed, and not as {@code *}. */
    boolean varyOrigin() {
        return varyOrigin;
    }

    String methodsValue() {
        return methodsValue;
    }

    /** Returns the configured request headers joined, or {@code null} for {@code *} (echo) or none. */
    @Nullable
    String headersValue() {
        return headersValue;
    }

    String maxAgeValue() {
        return maxAgeValue;
    }

    /** Returns the headers of an allowed actual response besides the origin, as shared name, value pairs. */
    String[] actualHeaders() {
        return actualHeaders;
    }

    @Override
    public String toString() {
        return "CorsPolicy{allowedOrigins=" + allowedOrigins
                + (settings.originRegex == null ? "" : ", allowedOriginRegex=" + settings.originRegex)
                + ", allowedMethods=" + allowedMethods
                + ", allowedHeaders=" + allowedHeaders
                + ", exposedHeaders=" + exposedHeaders
                + ", allowCredentials=" + allowCredentials
                + ", maxAge=" + maxAge.toSeconds() + "s"
                + ", allowPrivateNetwork=" + allowPrivateNetwork
                + (allowInsecureOrigins ? ", allowInsecureOrigins=true" : "")
                + "}";
    }

    /**
     * Builds a {@link CorsPolicy}. Each setter validates its values at once; {@link #build()} checks combinations.
     * Error messages start with the policy's context ({@code cors policy}, or {@code cors mapping 'name'} for a policy
     * configured through {@link Cors.Builder#mapping(String, List, java.util.function.Consumer)}). Not thread-safe;
     * {@link #build()} leaves the builder reusable.
     */
    public static final class Builder {
        private final String context;
        /** Normalized rule text to rule, in configuration order. */
        private final Map<String, OriginRule> origins = new LinkedHashMap<>();

        private @Nullable String originRegex;
        private @Nullable Pattern originPattern;
        private List<String> methods = DEFAULT_METHODS;
        private List<String> headers = List.of();
        private List<String> exposed = List.of();
        private boolean credentials;
        private boolean privateNetwork;
        private boolean insecure;
        private Duration maxAge = Duration.ofSeconds(DEFAULT_MAX_AGE_SECONDS);

        private Builder(String context) {
            this.context = context;
        }

        private Builder copy(String newContext) {
            Builder b = new Builder(newContext);
            b.origins.putAll(origins);
            b.originRegex = originRegex;
            b.originPattern = originPattern;
            b.methods = methods;
            b.headers = headers;
            b.exposed = exposed;
            b.credentials = credentials;
            b.privateNetwork = privateNetwork;
            b.insecure = insecure;
            b.maxAge = maxAge;
            return b;
        }

        /**
         * Replaces the allowed origins (default: none). Each entry is {@code *}, an exact serialized origin ({@code
         * https://example.com}, {@code http://localhost:8080}) or a pattern ({@code https://*.example.com}, {@code
         * https://example.com:*}); see {@link CorsPolicy}.
         *
         * @throws IllegalArgumentException if an entry is not a serialized origin or pattern, is {@code null} or
         *     opaque, or puts a wildcard on a public suffix or an IP address
         */
        public Builder allowedOrigins(String... origins) {
            requireNonNull(origins, "origins");
            return allowedOrigins(Arrays.asList(origins));
        }

        /**
         * Replaces the allowed origins; see {@link #allowedOrigins(String...)}.
         *
         * @throws IllegalArgumentException if an entry is invalid
         */
        public Builder allowedOrigins(Collection<String> origins) {
            requireNonNull(origins, "origins");
            Map<String, OriginRule> parsed = new LinkedHashMap<>();
            for (String origin : origins) {
                requireNonNull(origin, "origin");
                OriginRule rule = Origins.parseConfigured(context, origin);
                parsed.putIfAbsent(rule.toString(), rule);
            }
            this.origins.clear();
            this.origins.putAll(parsed);
            return this;
        }

        /**
         * Sets a regular expression an origin may match instead (default: none), e.g. {@code
         * https://pr-[0-9]+\.preview\.example\.com}. It is compiled once, always matched against the whole origin
         * ({@link java.util.regex.Matcher#matches()}), and only against origins that passed the strict origin grammar,
         * so it never sees CR, LF or a path. Building a policy with a regex logs a warning: a single unescaped dot
         * ({@code www.example.com} also matches {@code wwwXexample.com}) has caused real vulnerabilities (rack-cors
         * CVE-2017-11173); prefer exact origins and structured patterns.
         *
         * @param regex the expression, or {@code null} to remove it
         * @throws IllegalArgumentException if the expression does not compile, contains control characters, or
         *     matches arbitrary origins
         */
        public Builder allowedOriginRegex(@Nullable String regex) {
            if (regex == null) {
                this.originRegex = null;
                this.originPattern = null;
                return this;
            }
            for (int i = 0; i < regex.length(); i++) {
                char c = regex.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw fail(
                            "allowed origin regex '%s' must not contain control characters; remove them",
                            escape(regex));
                }
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw fail(
                        "allowed origin regex '%s' is not a valid regular expression: %s", regex, e.getDescription());
            }
            for (String canary : CANARY_ORIGINS) {
                if (pattern.matcher(canary).matches()) {
                    throw fail(
                            "allowed origin regex '%s' matches arbitrary origins such as '%s'; restrict it to your"
                                    + " own domains, or use allowedOrigins(\"*\") for a public resource without"
                                    + " credentials",
                            regex, canary);
                }
            }
            this.originRegex = regex;
            this.originPattern = pattern;
            return this;
        }

        /**
         * Replaces the methods preflights may ask for (default {@code GET, HEAD, POST}). Case-sensitive; {@code *}
         * allows any method, only without credentials. Actual requests with {@code GET}, {@code HEAD} or {@code POST}
         * are always allowed, as browsers never preflight them.
         *
         * @throws IllegalArgumentException if a method is not a token, is forbidden ({@code CONNECT}, {@code TRACE},
         *     {@code TRACK}), or is a standard method not in upper case ({@code get})
         */
        public Builder allowedMethods(String... methods) {
            requireNonNull(methods, "methods");
            return allowedMethods(Arrays.asList(methods));
        }

        /**
         * Replaces the allowed methods; see {@link #allowedMethods(String...)}.
         *
         * @throws IllegalArgumentException if a method is invalid
         */
        public Builder allowedMethods(Collection<String> methods) {
            requireNonNull(methods, "methods");
            List<String> list = new ArrayList<>();
            for (String method : methods) {
                requireNonNull(method, "method");
                if (!Checks.isToken(method)) {
                    throw fail("allowed method '%s' is not an HTTP method token", escape(method));
                }
                String upper = method.toUpperCase(Locale.ROOT);
                if (FORBIDDEN_METHODS.contains(upper)) {
                    throw fail("allowed method '%s' is a forbidden method that browsers never send; remove it", method);
                }
                if (NORMALIZED_METHODS.contains(upper) && !upper.equals(method)) {
                    throw fail(
                            "allowed method '%s' would never match: browsers send %s in upper case and methods are"
                                    + " case-sensitive; write '%s'",
                            method, upper, upper);
                }
                if (!list.contains(method)) {
                    list.add(method);
                }
            }
            this.methods = List.copyOf(list);
            return this;
        }

        /**
         * Replaces the request headers preflights may ask for (default: none, so only CORS-safelisted headers pass).
         * Names are case-insensitive and kept in lower case. {@code *} allows any name except {@code Authorization},
         * only without credentials.
         *
         * @throws IllegalArgumentException if a name is not a header-name token
         */
        public Builder allowedHeaders(String... headers) {
            requireNonNull(headers, "headers");
            return allowedHeaders(Arrays.asList(headers));
        }

        /**
         * Replaces the allowed request headers; see {@link #allowedHeaders(String...)}.
         *
         * @throws IllegalArgumentException if a name is invalid
         */
        public Builder allowedHeaders(Collection<String> headers) {
            this.headers = headerNames("allowed header", headers, true);
            return this;
        }

        /**
         * Replaces the response headers scripts may read ({@code Access-Control-Expose-Headers}, default: none beyond
         * the CORS-safelisted response headers). {@code *} exposes all, only without credentials.
         *
         * @throws IllegalArgumentException if a name is not a header-name token
         */
        public Builder exposedHeaders(String... headers) {
            requireNonNull(headers, "headers");
            return exposedHeaders(Arrays.asList(headers));
        }

        /**
         * Replaces the exposed response headers; see {@link #exposedHeaders(String...)}.
         *
         * @throws IllegalArgumentException if a name is invalid
         */
        public Builder exposedHeaders(Collection<String> headers) {
            this.exposed = headerNames("exposed header", headers, false);
            return this;
        }

        private List<String> headerNames(String setting, Collection<String> names, boolean lowerCase) {
            requireNonNull(names, "headers");
            List<String> list = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String name : names) {
                requireNonNull(name, "header");
                if (!Checks.isToken(name)) {
                    throw fail(
                            "%s '%s' is not a header name (RFC 9110 token: letters, digits, '-')",
                            setting, escape(name));
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (seen.add(lower)) {
                    list.add(lowerCase ? lower : name);
                }
            }
            return List.copyOf(list);
        }

        /**
         * Sets whether credentialed requests are allowed (default false): answers then carry {@code
         * Access-Control-Allow-Credentials: true}. Requires listed origins, methods and headers (no {@code *}) and,
         * unless {@link #allowInsecureOrigins(boolean)}, {@code https://} or loopback origins.
         */
        public Builder allowCredentials(boolean allow) {
            this.credentials = allow;
            return this;
        }

        /**
         * Sets how long browsers may cache a preflight answer (default {@value CorsPolicy#DEFAULT_MAX_AGE_SECONDS} seconds;
         * whole seconds, fractions are dropped). Browsers cap it: Firefox at 86400 s, Chrome at 7200 s, Safari at
         * 600 s. Zero disables their cache.
         *
         * @throws IllegalArgumentException if negative or above 86400 seconds
         */
        public Builder maxAge(Duration maxAge) {
            requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.toSeconds() > DEFAULT_MAX_AGE_SECONDS) {
                throw fail(
                        "max age must be between 0 and %s seconds, got %s seconds; browsers cap it anyway"
                                + " (Chrome 7200, Safari 600)",
                        DEFAULT_MAX_AGE_SECONDS, maxAge.getSeconds());
            }
            this.maxAge = Duration.ofSeconds(maxAge.toSeconds());
            return this;
        }

        /**
         * Sets whether preflights that ask for Private Network Access ({@code Access-Control-Request-Private-Network:
         * true}, sent by Chrome when a public page calls a private address) are granted it with {@code
         * Access-Control-Allow-Private-Network: true} (default false: such preflights are rejected). The header is
         * sent only when asked for, unlike flask-cors before CVE-2024-6221.
         */
        public Builder allowPrivateNetwork(boolean allow) {
            this.privateNetwork = allow;
            return this;
        }

        /**
         * Sets whether {@code http://} origins on non-loopback hosts may be combined with credentials (default false).
         * Anyone on the network path can forge such an origin's content, and with it its credentialed requests.
         */
        public Builder allowInsecureOrigins(boolean allow) {
            this.insecure = allow;
            return this;
        }

        /**
         * Builds the policy; logs a warning when an origin regex is configured.
         *
         * @throws IllegalArgumentException if credentials are combined with {@code *} or, unless allowed, with a
         *     non-loopback {@code http://} origin
         */
        public CorsPolicy build() {
            if (credentials) {
                if (origins.containsKey(WILDCARD)) {
                    throw fail(
                            "allowed origin '*' cannot be combined with credentials; list the exact origins instead");
                }
                if (methods.contains(WILDCARD)) {
                    throw fail(
                            "allowed method '*' cannot be combined with credentials (browsers then read it as a method"
                                    + " named '*'); list the methods instead");
                }
                if (headers.contains(WILDCARD)) {
                    throw fail(
                            "allowed header '*' cannot be combined with credentials (browsers then read it as a header"
                                    + " named '*'); list the headers instead");
                }
                if (exposed.contains(WILDCARD)) {
                    throw fail(
                            "exposed header '*' cannot be combined with credentials (browsers then read it as a header"
                                    + " named '*'); list the headers instead");
                }
                if (!insecure) {
                    for (OriginRule rule : origins.values()) {
                        if (rule.isInsecure()) {
                            throw fail(
                                    "allowed origin '%s' uses http:// with credentials, so anyone on the network path"
                                            + " can forge it; use https:// or set allowInsecureOrigins(true)",
                                    rule);
                        }
                    }
                }
            }
            if (originRegex != null) {
                log.warn(
                        "{}: allowed origin regex '{}' is in use; it is matched against the whole origin, but a regex"
                                + " is easy to get wrong (an unescaped '.' matches any character): prefer exact origins"
                                + " and patterns such as https://*.example.com",
                        context,
                        originRegex);
            }
            return new CorsPolicy(this);
        }

        private IllegalArgumentException fail(String template, Object... args) {
            return new IllegalArgumentException(context + ": " + String.format(Locale.ROOT, template, args));
        }
    }
}
