package dev.bulwark.core.cors;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import dev.bulwark.core.RequestView;
import dev.bulwark.core.cors.CorsDecision.Outcome;
import dev.bulwark.core.cors.CorsDecision.Reason;
import dev.bulwark.core.internal.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates requests against CORS policies mapped to paths: the framework-neutral engine behind Bulwark's CORS filter.
 *
 * <p>Named mappings ({@code name → path patterns → policy}) are tried in the order they were added and the first whose
 * pattern matches the request path wins; otherwise the default policy applies, if one is set; otherwise the decision
 * is {@link Outcome#NOT_APPLICABLE} and nothing is written.
 *
 * <pre>{@code
 * Cors cors = Cors.builder()
 *     .mapping("api", List.of("/api/**"), policy -> policy
 *         .allowedOrigins("https://app.example.com", "https://*.preview.example.com")
 *         .allowedMethods("GET", "POST", "DELETE")
 *         .allowedHeaders("content-type", "authorization")
 *         .allowCredentials(true))
 *     .build();
 * CorsDecision decision = cors.evaluate(requestView);
 * }</pre>
 *
 * <p>Per request (Fetch standard section 3.2): a request without {@code Origin} is {@link Outcome#NOT_CORS}; one whose
 * {@code Origin} equals its own origin (from {@link RequestView#scheme()}, {@link RequestView#host()} and {@link
 * RequestView#port()}, which a proxy-aware view reports as the client saw them) is {@link Outcome#SAME_ORIGIN}; an
 * {@code OPTIONS} request with {@code Access-Control-Request-Method} is a preflight, answered here ({@link
 * Outcome#PREFLIGHT_OK} with 204 or {@link Outcome#PREFLIGHT_REJECTED} with 403 and no CORS header); anything else is
 * an actual request, {@link Outcome#ALLOWED} or {@link Outcome#ORIGIN_REJECTED} (no CORS header, the request goes on).
 * Every response of a policy whose {@code Access-Control-Allow-Origin} depends on the origin gets {@code Vary:
 * Origin}, preflight answers also vary on the request method and headers.
 *
 * <p>Only values that passed a strict grammar are echoed: a serialized origin, a method token, header-name tokens
 * (lower-cased). {@code Access-Control-Request-Headers} longer than {@link Builder#maxRequestHeadersLength(int)}
 * (default {@value #DEFAULT_MAX_REQUEST_HEADERS_LENGTH} characters) or listing more than {@link
 * Builder#maxRequestHeadersCount(int)} names (default {@value #DEFAULT_MAX_REQUEST_HEADERS_COUNT}) is rejected.
 *
 * <p>Preflight decisions are memoized in a bounded cache (default {@value #DEFAULT_PREFLIGHT_CACHE_SIZE} decisions)
 * holding only verdicts and pre-rendered header values; a repeated preflight allocates nothing. Rejections are logged at
 * DEBUG, counted by reason ({@link #rejections()}) and reported with every other decision to the {@link CorsListener}.
 *
 * <p>Instances are immutable apart from their counters and cache, and safe for concurrent use; builders are not
 * thread-safe.
 */
public final class Cors {

    /** The name under which the default policy reports decisions. */
    public static final String DEFAULT_POLICY_NAME = "default";
    /** Default bound of the preflight cache, in decisions. */
    public static final long DEFAULT_PREFLIGHT_CACHE_SIZE = 10_000;
    /** Default bound of {@code Access-Control-Request-Headers}, in characters. */
    public static final int DEFAULT_MAX_REQUEST_HEADERS_LENGTH = 1024;
    /** Default bound of {@code Access-Control-Request-Headers}, in header names. */
    public static final int DEFAULT_MAX_REQUEST_HEADERS_COUNT = 32;

    /** Longest {@code Access-Control-Request-Method} read; longer values are malformed. */
    static final int MAX_METHOD_LENGTH = 64;

    private static final Logger log = LoggerFactory.getLogger(Cors.class);

    private static final Reason[] REASONS = Reason.values();

    /** A policy with its path patterns and the shared decisions it can produce. */
    private static final class Entry {
        final int index;
        final String name;
        final List<PathPattern> paths;
        final CorsPolicy policy;
        final @Nullable String varyOrigin;
        final String varyPreflight;
        final CorsDecision notCors;
        final CorsDecision sameOrigin;
        final @Nullable CorsDecision allowedAny;
        final CorsDecision[] actualRejected = new CorsDecision[REASONS.length];
        final CorsDecision[] preflightRejected = new CorsDecision[REASONS.length];

        Entry(int index, String name, List<PathPattern> paths, CorsPolicy policy) {
            this.index = index;
            this.name = name;
            this.paths = paths;
            this.policy = policy;
            this.varyOrigin = policy.varyOrigin() ? CorsHeaders.VARY_ORIGIN : null;
            this.varyPreflight =
                    policy.allowPrivateNetwork() ? CorsHeaders.VARY_PREFLIGHT_PNA : CorsHeaders.VARY_PREFLIGHT;
            this.notCors = CorsDecision.of(Outcome.NOT_CORS, name, varyOrigin);
            this.sameOrigin = CorsDecision.of(Outcome.SAME_ORIGIN, name, varyOrigin);
            this.allowedAny = policy.anyOrigin()
                    ? new CorsDecision(
                            Outcome.ALLOWED, null, name, 0, varyOrigin, CorsPolicy.WILDCARD, policy.actualHeaders())
                    : null;
            for (Reason r : REASONS) {
                actualRejected[r.ordinal()] = CorsDecision.rejected(Outcome.ORIGIN_REJECTED, r, name, varyOrigin);
                preflightRejected[r.ordinal()] =
                        CorsDecision.rejected(Outcome.PREFLIGHT_REJECTED, r, name, varyPreflight);
            }
        }
    }

    private final Entry[] mappings;
    private final @Nullable Entry defaultEntry;
    private final int maxHeadersLength;
    private final int maxHeadersCount;
    private final CorsListener listener;
    private final boolean listening;
    private final PreflightCache cache;
    private final LongAdder[] rejections = new LongAdder[REASONS.length];
    private final AtomicBoolean listenerFailed = new AtomicBoolean();

    private Cors(Builder b) {
        List<Entry> list = new ArrayList<>();
        int index = 1;
        for (Builder.Mapping m : b.mappings) {
            list.add(new Entry(index++, m.name(), m.paths(), m.policy()));
        }
        this.mappings = list.toArray(new Entry[0]);
        this.defaultEntry =
                b.defaultPolicy == null ? null : new Entry(0, DEFAULT_POLICY_NAME, List.of(), b.defaultPolicy);
        this.maxHeadersLength = b.maxHeadersLength;
        this.maxHeadersCount = b.maxHeadersCount;
        this.listener = b.listener;
        this.listening = !(b.listener instanceof NoopCorsListener);
        this.cache = new PreflightCache(b.cacheSize, b.executor);
        for (int i = 0; i < rejections.length; i++) {
            rejections[i] = new LongAdder();
        }
    }

    /** Returns an engine applying the policy to every path. */
    public static Cors of(CorsPolicy policy) {
        return builder().defaultPolicy(policy).build();
    }

    /** Returns a builder without mappings or default policy, so initially applicable to no request. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides how to answer the request. Runs on the request thread; never throws for any header value.
     *
     * @param request the request; scheme, host and port must be as the client addressed them (proxy-aware)
     * @return the decision; a shared instance for preflights answered from the cache, rejections and non-CORS requests
     */
    public CorsDecision evaluate(RequestView request) {
        requireNonNull(request, "request");
        Entry e = find(request);
        if (e == null) {
            return CorsDecision.NOT_APPLICABLE;
        }
        String origin = request.header(CorsHeaders.ORIGIN);
        if (origin == null) {
            return report(e, e.notCors);
        }
        if (Origins.isSameOrigin(origin, request.scheme(), request.host(), request.port())) {
            return report(e, e.sameOrigin);
        }
        String method = request.method();
        String requestMethod = method.equals("OPTIONS") ? request.header(CorsHeaders.REQUEST_METHOD) : null;
        if (requestMethod != null) {
            return preflight(e, request, origin, requestMethod);
        }
        return actual(e, origin, method);
    }

    private @Nullable Entry find(RequestView request) {
        Entry[] entries = mappings;
        if (entries.length > 0) {
            String path = request.path();
            for (Entry e : entries) {
                if (PathPattern.anyMatches(e.paths, path)) {
                    return e;
                }
            }
        }
        return defaultEntry;
    }

    private CorsDecision actual(Entry e, String origin, String method) {
        int kind = Origins.check(origin);
        if (kind == Origins.MALFORMED) {
            return reject(e, e.actualRejected, Reason.MALFORMED_ORIGIN, origin);
        }
        CorsPolicy policy = e.policy;
        if (!policy.allowsOrigin(origin, kind)) {
            return reject(e, e.actualRejected, Reason.ORIGIN_NOT_ALLOWED, origin);
        }
        if (!policy.allowsActualMethod(method)) {
            return reject(e, e.actualRejected, Reason.METHOD_NOT_ALLOWED, origin);
        }
        CorsDecision allowed = e.allowedAny;
        if (allowed == null) {
            allowed = new CorsDecision(Outcome.ALLOWED, null, e.name, 0, e.varyOrigin, origin, policy.actualHeaders());
        }
        return report(e, allowed);
    }

    private CorsDecision preflight(Entry e, RequestView request, String origin, String method) {
        int kind = Origins.check(origin);
        if (kind == Origins.MALFORMED) {
            return reject(e, e.preflightRejected, Reason.MALFORMED_ORIGIN, origin);
        }
        if (method.length() > MAX_METHOD_LENGTH || !Checks.isToken(method)) {
            return reject(e, e.preflightRejected, Reason.MALFORMED_METHOD, origin);
        }
        String requestHeaders = request.header(CorsHeaders.REQUEST_HEADERS);
        if (requestHeaders != null && requestHeaders.length() > maxHeadersLength) {
            return reject(e, e.preflightRejected, Reason.HEADERS_TOO_LONG, origin);
        }
        boolean privateNetwork = "true".equals(request.header(CorsHeaders.REQUEST_PRIVATE_NETWORK));
        // every key component is now bounded: origin and method by grammar, request headers by length
        CorsDecision decision = cache.get(e.index, origin, method, requestHeaders, privateNetwork);
        if (decision == null) {
            decision = decide(e, origin, kind, method, requestHeaders, privateNetwork);
            cache.put(e.index, origin, method, requestHeaders, privateNetwork, decision);
        }
        Reason reason = decision.reason();
        if (reason != null) {
            count(e, reason, origin, true);
        }
        return report(e, decision);
    }

    /** Decides a preflight whose origin, method and request-header length passed their checks. */
    private CorsDecision decide(
            Entry e, String origin, int kind, String method, @Nullable String requestHeaders, boolean privateNetwork) {
        CorsPolicy policy = e.policy;
        Set<String> names = new LinkedHashSet<>();
        if (requestHeaders != null) {
            Reason malformed = parseHeaderNames(requestHeaders, names);
            if (malformed != null) {
                return e.preflightRejected[malformed.ordinal()];
            }
        }
        if (!policy.allowsOrigin(origin, kind)) {
            return e.preflightRejected[Reason.ORIGIN_NOT_ALLOWED.ordinal()];
        }
        if (!policy.allowsMethod(method)) {
            return e.preflightRejected[Reason.METHOD_NOT_ALLOWED.ordinal()];
        }
        for (String name : names) {
            if (!policy.allowsHeader(name)) {
                return e.preflightRejected[Reason.HEADER_NOT_ALLOWED.ordinal()];
            }
        }
        if (privateNetwork && !policy.allowPrivateNetwork()) {
            return e.preflightRejected[Reason.PRIVATE_NETWORK_NOT_ALLOWED.ordinal()];
        }
        List<String> headers = new ArrayList<>(12);
        if (policy.allowCredentials()) {
            headers.add(CorsHeaders.ALLOW_CREDENTIALS);
            headers.add("true");
        }
        headers.add(CorsHeaders.ALLOW_METHODS);
        headers.add(policy.methodsValue());
        if (!names.isEmpty()) {
            String configured = policy.headersValue();
            headers.add(CorsHeaders.ALLOW_HEADERS);
            headers.add(configured != null ? configured : String.join(", ", names));
        }
        headers.add(CorsHeaders.MAX_AGE);
        headers.add(policy.maxAgeValue());
        if (privateNetwork) {
            headers.add(CorsHeaders.ALLOW_PRIVATE_NETWORK);
            headers.add("true");
        }
        String allowOrigin = policy.anyOrigin() ? CorsPolicy.WILDCARD : origin;
        return new CorsDecision(
                Outcome.PREFLIGHT_OK, null, e.name, 204, e.varyPreflight, allowOrigin, headers.toArray(new String[0]));
    }

    /**
     * Parses {@code Access-Control-Request-Headers}: a comma-separated list of header names (RFC 9110 section 5.6.1,
     * empty elements ignored), lower-cased and de-duplicated in order.
     *
     * @param names receives the names
     * @return {@code null}, or the reason the value is rejected
     */
    private @Nullable Reason parseHeaderNames(String value, Set<String> names) {
        int len = value.length();
        int count = 0;
        int i = 0;
        while (i <= len) {
            int comma = value.indexOf(',', i);
            int end = comma < 0 ? len : comma;
            int start = i;
            while (start < end && isOws(value.charAt(start))) {
                start++;
            }
            int stop = end;
            while (stop > start && isOws(value.charAt(stop - 1))) {
                stop--;
            }
            if (stop > start) {
                if (++count > maxHeadersCount) {
                    return Reason.HEADERS_TOO_LONG;
                }
                for (int k = start; k < stop; k++) {
                    if (!Checks.isTokenChar(value.charAt(k))) {
                        return Reason.MALFORMED_HEADERS;
                    }
                }
                names.add(value.substring(start, stop).toLowerCase(Locale.ROOT));
            }
            i = end + 1;
        }
        return null;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private CorsDecision reject(Entry e, CorsDecision[] decisions, Reason reason, String origin) {
        CorsDecision decision = decisions[reason.ordinal()];
        count(e, reason, origin, decision.isPreflight());
        return report(e, decision);
    }

    private void count(Entry e, Reason reason, String origin, boolean preflight) {
        rejections[reason.ordinal()].increment();
        if (log.isDebugEnabled()) {
            log.debug(
                    "cors {}: {} from origin '{}' rejected: {}",
                    e.name,
                    preflight ? "preflight" : "request",
                    escape(
                            origin.length() > Origins.MAX_LENGTH
                                    ? origin.substring(0, Origins.MAX_LENGTH) + "…"
                                    : origin),
                    reason);
        }
    }

    private CorsDecision report(Entry e, CorsDecision decision) {
        if (listening) {
            try {
                listener.onDecision(e.name, decision);
            } catch (RuntimeException ex) {
                if (listenerFailed.compareAndSet(false, true)) {
                    log.warn("cors listener {} failed; ignoring its failures from now on", listener, ex);
                } else {
                    log.debug("cors listener {} failed", listener, ex);
                }
            }
        }
        return decision;
    }

    /**
     * Returns how many requests were rejected, by reason, since this engine was built: a read-only snapshot holding
     * every reason (zero when none).
     */
    public Map<Reason, Long> rejections() {
        Map<Reason, Long> snapshot = new EnumMap<>(Reason.class);
        for (Reason r : REASONS) {
            snapshot.put(r, rejections[r.ordinal()].sum());
        }
        return Collections.unmodifiableMap(snapshot);
    }

    /** Returns a snapshot of the preflight cache's counters. */
    public PreflightCacheStats preflightCacheStats() {
        return new PreflightCacheStats(cache.hits(), cache.misses(), cache.size(), cache.maximumSize());
    }

    /** Runs the preflight cache's pending maintenance now, for tests. */
    void cleanUp() {
        cache.cleanUp();
    }

    /** Returns the names of the mappings, in evaluation order (without the default policy). */
    public List<String> mappingNames() {
        List<String> names = new ArrayList<>();
        for (Entry e : mappings) {
            names.add(e.name);
        }
        return List.copyOf(names);
    }

    /** Returns the policy of the named mapping ({@value #DEFAULT_POLICY_NAME} for the default policy), if any. */
    public Optional<CorsPolicy> policy(String name) {
        requireNonNull(name, "name");
        if (name.equals(DEFAULT_POLICY_NAME)) {
            return Optional.ofNullable(defaultEntry).map(e -> e.policy);
        }
        for (Entry e : mappings) {
            if (e.name.equals(name)) {
                return Optional.of(e.policy);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Cors{");
        for (Entry e : mappings) {
            sb.append(e.name).append(e.paths).append('=').append(e.policy).append(", ");
        }
        if (defaultEntry != null) {
            sb.append(DEFAULT_POLICY_NAME)
                    .append('=')
                    .append(defaultEntry.policy)
                    .append(", ");
        }
        return sb.append("preflightCacheSize=")
                .append(cache.maximumSize())
                .append('}')
                .toString();
    }

    /**
     * Counters of the preflight cache.
     *
     * @param hits preflights answered from the cache
     * @param misses preflights decided afresh (and then cached)
     * @param size decisions held now
     * @param maximumSize the bound on {@code size}; 0 when caching is off
     */
    public record PreflightCacheStats(long hits, long misses, long size, long maximumSize) {}

    /** Builds a {@link Cors}; setters validate eagerly; not thread-safe; {@link #build()} leaves it reusable. */
    public static final class Builder {

        private record Mapping(String name, List<PathPattern> paths, CorsPolicy policy) {}

        private final List<Mapping> mappings = new ArrayList<>();
        private @Nullable CorsPolicy defaultPolicy;
        private long cacheSize = DEFAULT_PREFLIGHT_CACHE_SIZE;
        private int maxHeadersLength = DEFAULT_MAX_REQUEST_HEADERS_LENGTH;
        private int maxHeadersCount = DEFAULT_MAX_REQUEST_HEADERS_COUNT;
        private CorsListener listener = CorsListener.noop();
        private Executor executor = ForkJoinPool.commonPool();

        private Builder() {}

        /** Sets the policy for paths no mapping covers (default: none, so those requests are not CORS-handled). */
        public Builder defaultPolicy(@Nullable CorsPolicy policy) {
            this.defaultPolicy = policy;
            return this;
        }

        /**
         * Configures the default policy; error messages name it {@code cors default policy}.
         *
         * @throws IllegalArgumentException if the policy is invalid
         */
        public Builder defaultPolicy(Consumer<CorsPolicy.Builder> policy) {
            requireNonNull(policy, "policy");
            CorsPolicy.Builder builder = CorsPolicy.builder("cors default policy");
            policy.accept(builder);
            this.defaultPolicy = builder.build();
            return this;
        }

        /**
         * Adds a mapping; mappings are tried in the order added, the first whose pattern matches the path wins.
         *
         * @param name a name for logs and metrics: letters, digits, {@code -}, {@code _} or {@code .}; unique; not
         *     {@value #DEFAULT_POLICY_NAME}
         * @param pathPatterns the {@link PathPattern}s the policy covers; at least one
         * @throws IllegalArgumentException if the name is invalid or taken, or a pattern is invalid
         */
        public Builder mapping(String name, List<String> pathPatterns, CorsPolicy policy) {
            requireNonNull(policy, "policy");
            List<PathPattern> paths = checkMapping(name, pathPatterns);
            mappings.add(new Mapping(name, paths, policy));
            return this;
        }

        /**
         * Adds a mapping whose policy is configured by {@code policy} on a fresh {@link CorsPolicy.Builder}, so that
         * error messages name the mapping ({@code cors mapping 'api': …}).
         *
         * @throws IllegalArgumentException if the name, a pattern or the policy is invalid
         */
        public Builder mapping(String name, List<String> pathPatterns, Consumer<CorsPolicy.Builder> policy) {
            requireNonNull(policy, "policy");
            List<PathPattern> paths = checkMapping(name, pathPatterns);
            CorsPolicy.Builder builder = CorsPolicy.builder("cors mapping '" + name + "'");
            policy.accept(builder);
            mappings.add(new Mapping(name, paths, builder.build()));
            return this;
        }

        private List<PathPattern> checkMapping(String name, List<String> pathPatterns) {
            requireNonNull(name, "name");
            requireNonNull(pathPatterns, "pathPatterns");
            requireArgument(
                    !name.isEmpty()
                            && name.chars()
                                    .allMatch(c -> c < 0x80
                                            && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')),
                    "cors mapping name must be letters, digits, '-', '_' or '.': '%s'",
                    escape(name));
            requireArgument(
                    !name.equals(DEFAULT_POLICY_NAME),
                    "cors mapping name '%s' is reserved for the default policy; set it with defaultPolicy(..)",
                    name);
            for (Mapping m : mappings) {
                requireArgument(!m.name().equals(name), "cors mapping '%s' is already defined; use another name", name);
            }
            requireArgument(
                    !pathPatterns.isEmpty(),
                    "cors mapping '%s' needs at least one path pattern, such as '/api/**'",
                    name);
            return PathPattern.listOf(pathPatterns);
        }

        /**
         * Sets how many preflight decisions are cached (default {@value #DEFAULT_PREFLIGHT_CACHE_SIZE}); 0 turns the
         * cache off.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder preflightCacheSize(long size) {
            requireArgument(size >= 0, "cors preflight cache size must not be negative: %s", size);
            this.cacheSize = size;
            return this;
        }

        /**
         * Sets the longest {@code Access-Control-Request-Headers} accepted, in characters (default {@value
         * #DEFAULT_MAX_REQUEST_HEADERS_LENGTH}); longer ones are rejected as {@link Reason#HEADERS_TOO_LONG}.
         *
         * @throws IllegalArgumentException if not within 1..65536
         */
        public Builder maxRequestHeadersLength(int length) {
            requireArgument(
                    length > 0 && length <= 65_536,
                    "cors max request headers length must be within 1..65536: %s",
                    length);
            this.maxHeadersLength = length;
            return this;
        }

        /**
         * Sets the most header names {@code Access-Control-Request-Headers} may list (default {@value
         * #DEFAULT_MAX_REQUEST_HEADERS_COUNT}); more are rejected as {@link Reason#HEADERS_TOO_LONG}.
         *
         * @throws IllegalArgumentException if not within 1..1024
         */
        public Builder maxRequestHeadersCount(int count) {
            requireArgument(
                    count > 0 && count <= 1024, "cors max request headers count must be within 1..1024: %s", count);
            this.maxHeadersCount = count;
            return this;
        }

        /** Sets the listener told about every decision (default {@link CorsListener#noop()}). */
        public Builder listener(CorsListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /** Sets the executor of the preflight cache's maintenance (default the common pool); tests run it inline. */
        Builder cacheExecutor(Executor executor) {
            this.executor = requireNonNull(executor, "executor");
            return this;
        }

        /** Builds the engine. */
        public Cors build() {
            return new Cors(this);
        }
    }
}
