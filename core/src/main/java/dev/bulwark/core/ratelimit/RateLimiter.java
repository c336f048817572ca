package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import dev.bulwark.core.RequestView;
import dev.bulwark.core.ResponseHeaders;
import dev.bulwark.core.TimeSource;
import dev.bulwark.core.client.IpAddress;
import dev.bulwark.core.client.TrustedProxies;
import dev.bulwark.core.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a request (or any call) may proceed under a set of {@link RateLimitPolicy policies}, and tells the
 * client when to come back.
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe. All state lives in the
 * {@link BucketStore} (by default {@link BucketStore#local(long)} with 100 000 tracked keys at most).
 *
 * <p>For HTTP, {@link #evaluate} runs every policy that applies to the request, consumes from each one's bucket, writes
 * the rate-limit headers ({@link RateLimitHeaderStyle}, default IETF) and returns the verdict; when several policies
 * reject, the longest wait wins and becomes {@code Retry-After} (whole seconds, rounded up, at least 1). Exempt by
 * default: {@code /health/**}, {@code /actuator/health/**} and CORS preflights; more paths and an allow-list of CIDR
 * blocks can be added. Anonymous clients are keyed by their resolved address with IPv6 grouped by {@code /64} (the
 * prefix is configurable); IPv4-mapped IPv6 addresses count as the IPv4 address they carry. In dry-run mode nothing is
 * rejected, but buckets, headers and listeners behave as if enforcing, to tune limits in production.
 *
 * <p>Outside HTTP, {@link #tryAcquire(String, String, long)} and {@link #acquire(String, String)} apply a named policy
 * to a key the caller chooses, for example to limit login attempts per account in a service method:
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.builder()
 *     .anonymous("1000/hour")
 *     .authenticated("5000/hour")
 *     .scope(RateLimitPolicy.scope("login").rates("5/min").paths("/login").methods("POST"))
 *     .build();
 * limiter.acquire("login", accountName); // throws RateLimitExceededException when over the limit
 * }</pre>
 */
public final class RateLimiter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    /** The default bound on tracked keys. */
    public static final long DEFAULT_MAX_TRACKED_KEYS = 100_000;

    /** The paths exempt by default: health endpoints. */
    public static final List<String> DEFAULT_EXEMPT_PATHS = List.of("/health/**", "/actuator/health/**");

    /** Which policies a call to {@link #evaluate} runs. */
    public enum Stage {
        /**
         * Policies that do not depend on who is authenticated: scopes keyed by {@code ip} or {@code header:<name>}. Run
         * before the authentication filter so that a login endpoint the security framework answers itself is limited.
         */
        BEFORE_AUTHENTICATION,
        /** The anonymous and authenticated policies and scopes keyed by {@code user}, once the principal is known. */
        AFTER_AUTHENTICATION,
        /** Every policy, in one pass (containers whose authentication precedes all filters). */
        ALL
    }

    private final @Nullable RateLimitPolicy anonymous;
    private final @Nullable RateLimitPolicy authenticated;
    private final List<RateLimitPolicy> scopes;
    private final Map<String, RateLimitPolicy> byName;
    private final RateLimitPolicy[] before;
    private final RateLimitPolicy[] after;
    private final RateLimitPolicy[] all;
    private final BucketStore store;
    private final int ipv4Prefix;
    private final int ipv6Prefix;
    private final RateLimitHeaderStyle headerStyle;
    private final boolean dryRun;
    private final List<PathPattern> exemptPaths;
    private final boolean exemptPreflight;
    private final TrustedProxies exemptAddresses;
    private final int rejectionStatus;
    private final @Nullable String rejectionBody;
    private final String rejectionContentType;
    private final RateLimitListener listener;
    private volatile boolean listenerFailureLogged;

    private RateLimiter(Builder b) {
        this.anonymous = b.anonymous;
        this.authenticated = b.authenticated;
        this.scopes = List.copyOf(b.scopes.values());
        Map<String, RateLimitPolicy> names = new LinkedHashMap<>();
        List<RateLimitPolicy> beforeList = new ArrayList<>();
        List<RateLimitPolicy> afterList = new ArrayList<>();
        List<RateLimitPolicy> allList = new ArrayList<>();
        if (anonymous != null) {
            names.put(anonymous.name(), anonymous);
        }
        if (authenticated != null) {
            names.put(authenticated.name(), authenticated);
        }
        names.putAll(b.scopes);
        for (RateLimitPolicy policy : names.values()) {
            (policy.needsPrincipal() ? afterList : beforeList).add(policy);
            allList.add(policy);
        }
        this.byName = java.util.Collections.unmodifiableMap(names);
        this.before = beforeList.toArray(new RateLimitPolicy[0]);
        this.after = afterList.toArray(new RateLimitPolicy[0]);
        this.all = allList.toArray(new RateLimitPolicy[0]);
        this.store = b.store != null ? b.store : BucketStore.local(b.maxTrackedKeys, b.timeSource);
        this.ipv4Prefix = b.ipv4Prefix;
        this.ipv6Prefix = b.ipv6Prefix;
        this.headerStyle = b.headerStyle;
        this.dryRun = b.dryRun;
        this.exemptPaths = List.copyOf(b.exemptPaths);
        this.exemptPreflight = b.exemptPreflight;
        this.exemptAddresses = b.exemptAddresses;
        this.rejectionStatus = b.rejectionStatus;
        this.rejectionBody = b.rejectionBody;
        this.rejectionContentType = b.rejectionContentType;
        this.listener = b.listener;
    }

    /** Returns a builder with no policy, IETF headers, enforcing, default exemptions and a local store. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------------- HTTP

    /**
     * Evaluates the policies of a stage that apply to a request, consumes their tokens, writes the rate-limit headers
     * (and {@code Retry-After} on a rejection) to {@code headers}, and returns the verdict. Never throws for any
     * request.
     *
     * @param client the client address resolved behind trusted proxies; when {@code null} the peer address is used
     */
    public RateLimitDecision evaluate(
            RequestView request, @Nullable IpAddress client, ResponseHeaders headers, Stage stage) {
        RateLimitPolicy[] policies =
                switch (stage) {
                    case BEFORE_AUTHENTICATION -> before;
                    case AFTER_AUTHENTICATION -> after;
                    case ALL -> all;
                };
        if (policies.length == 0) {
            return RateLimitDecision.NOT_LIMITED;
        }
        String path = request.path();
        if (isExempt(request, path)) {
            return RateLimitDecision.EXEMPT;
        }
        IpAddress address =
                client != null ? client : IpAddress.parse(request.peerAddress()).orElse(null);
        if (address != null && exemptAddresses != TrustedProxies.none() && exemptAddresses.contains(address)) {
            return RateLimitDecision.EXEMPT;
        }
        String principal = stage == Stage.BEFORE_AUTHENTICATION ? null : request.principalName();
        String method = request.method();

        boolean applied = false;
        String rateLimitItems = null;
        String policyItems = null;
        RateLimitPolicy legacyPolicy = null;
        long legacyConsumption = 0;
        RateLimitPolicy rejectedBy = null;
        long longestWait = 0;
        RateLimitPolicy unavailable = null;
        long unavailableWait = 0;
        for (RateLimitPolicy policy : policies) {
            if (!policy.appliesTo(method, path, principal != null)) {
                continue;
            }
            applied = true;
            long consumption = store.tryConsume(keyFor(policy, request, address, principal), policy.cost());
            if (Consumption.isUnavailable(consumption)) {
                // the store could not decide and fails closed: no headers to give for this policy
                unavailable = policy;
                unavailableWait = Math.max(unavailableWait, Consumption.waitNanos(consumption));
                continue;
            }
            boolean allowed = Consumption.isAllowed(consumption);
            notify(policy, consumption);
            if (!allowed && Consumption.waitNanos(consumption) > longestWait) {
                longestWait = Consumption.waitNanos(consumption);
                rejectedBy = policy;
            }
            if (headerStyle.ietf()) {
                String item = policy.itemPrefix(Consumption.rateIndex(consumption)) + Consumption.remaining(consumption)
                        + ";t=" + Consumption.resetSeconds(consumption);
                rateLimitItems = rateLimitItems == null ? item : rateLimitItems + ", " + item;
                policyItems = policyItems == null ? policy.policyHeader() : policyItems + ", " + policy.policyHeader();
            }
            if (headerStyle.legacy() && (legacyPolicy == null || moreRestrictive(consumption, legacyConsumption))) {
                legacyPolicy = policy;
                legacyConsumption = consumption;
            }
        }
        if (!applied) {
            return RateLimitDecision.NOT_LIMITED;
        }
        if (policyItems != null) {
            headers.add("RateLimit-Policy", policyItems);
            headers.add("RateLimit", rateLimitItems);
        }
        if (legacyPolicy != null) {
            writeLegacy(headers, legacyPolicy, legacyConsumption);
        }
        if (unavailable != null && !dryRun) {
            long retryAfter = Math.max(1, Consumption.ceilSeconds(Math.max(unavailableWait, longestWait)));
            headers.set("Retry-After", Long.toString(retryAfter));
            return RateLimitDecision.unavailable(unavailable.name(), retryAfter);
        }
        if (rejectedBy == null || dryRun) {
            return RateLimitDecision.ALLOWED;
        }
        long retryAfter = Consumption.ceilSeconds(longestWait);
        headers.set("Retry-After", Long.toString(Math.max(1, retryAfter)));
        return RateLimitDecision.rejected(rejectedBy.name(), retryAfter);
    }

    private static boolean moreRestrictive(long candidate, long current) {
        if (Consumption.isAllowed(candidate) != Consumption.isAllowed(current)) {
            return !Consumption.isAllowed(candidate);
        }
        if (!Consumption.isAllowed(candidate)) {
            return Consumption.waitNanos(candidate) > Consumption.waitNanos(current);
        }
        return Consumption.remaining(candidate) < Consumption.remaining(current);
    }

    private static void writeLegacy(ResponseHeaders headers, RateLimitPolicy policy, long consumption) {
        long remaining = Consumption.remaining(consumption);
        String previous = headers.get("X-RateLimit-Remaining");
        if (previous != null) {
            // An earlier stage already wrote the headers: keep the more restrictive of the two.
            try {
                if (Long.parseLong(previous) <= remaining) {
                    return;
                }
            } catch (NumberFormatException ignored) {
                // not ours: overwrite
            }
        }
        headers.set(
                "X-RateLimit-Limit",
                Long.toString(
                        policy.rates().get(Consumption.rateIndex(consumption)).capacity()));
        headers.set("X-RateLimit-Remaining", Long.toString(remaining));
        headers.set("X-RateLimit-Reset", Long.toString(Consumption.resetSeconds(consumption)));
    }

    private boolean isExempt(RequestView request, String path) {
        if (!exemptPaths.isEmpty() && PathPattern.anyMatches(exemptPaths, path)) {
            return true;
        }
        return exemptPreflight
                && "OPTIONS".equals(request.method())
                && request.header("Origin") != null
                && request.header("Access-Control-Request-Method") != null;
    }

    private BucketKey keyFor(
            RateLimitPolicy policy, RequestView request, @Nullable IpAddress address, @Nullable String principal) {
        RateLimitKey key = policy.key();
        switch (key.kind()) {
            case USER -> {
                if (principal != null) {
                    return new BucketKey.Name(policy, principal);
                }
            }
            case HEADER -> {
                String value = request.header(requireNonNull(key.headerName()));
                if (value != null && !value.isEmpty() && value.length() <= RateLimitKey.MAX_HEADER_KEY_LENGTH) {
                    return new BucketKey.Name(policy, value);
                }
            }
            case IP -> {
                // below
            }
        }
        if (address == null) {
            // A peer address that is not an IP literal (a Unix socket, a broken adapter): all such requests share one
            // bucket rather than escaping the limit.
            return new BucketKey.Name(policy, "unknown-address");
        }
        return BucketKey.address(policy, address.prefix(address.isIpv4() ? ipv4Prefix : ipv6Prefix));
    }

    private void notify(RateLimitPolicy policy, long consumption) {
        try {
            if (Consumption.isAllowed(consumption)) {
                listener.onAllowed(policy, policy.cost());
            } else {
                listener.onRejected(policy, Consumption.waitNanos(consumption), dryRun);
            }
        } catch (RuntimeException e) {
            if (!listenerFailureLogged) {
                listenerFailureLogged = true;
                LOG.warn("rate limit listener {} failed; decisions are unaffected (logged once)", listener, e);
            }
        }
    }

    /** Returns the status of a rejection. Default 429. */
    public int rejectionStatus() {
        return rejectionStatus;
    }

    /** Returns the status for a decision: {@link #rejectionStatus()}, or 503 when the store was unavailable. */
    public int status(RateLimitDecision decision) {
        return decision.outcome() == RateLimitDecision.Outcome.UNAVAILABLE ? 503 : rejectionStatus;
    }

    /** Returns the content type of the rejection body. Default {@code application/problem+json}. */
    public String rejectionContentType() {
        return rejectionContentType;
    }

    /** Returns the content type of the body for a decision, as {@link #rejectionBody(RateLimitDecision)} renders it. */
    public String contentType(RateLimitDecision decision) {
        return decision.outcome() == RateLimitDecision.Outcome.UNAVAILABLE
                ? "application/problem+json"
                : rejectionContentType;
    }

    /**
     * Returns the rejection body for a decision: the configured body, or an RFC 9457 problem document such as {@code
     * {"type":"about:blank","title":"Too Many Requests","status":429,"detail":"rate limit 'anon' exceeded; retry after
     * 12 s","policy":"anon","retryAfter":12}}.
     */
    public byte[] rejectionBody(RateLimitDecision decision) {
        if (decision.outcome() == RateLimitDecision.Outcome.UNAVAILABLE) {
            long seconds = decision.retryAfterSeconds();
            return ("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                            + "\"detail\":\"rate limiter unavailable; retry after " + seconds + " s\",\"retryAfter\":"
                            + seconds + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (rejectionBody != null) {
            return rejectionBody.getBytes(StandardCharsets.UTF_8);
        }
        String policy = String.valueOf(decision.policy());
        long seconds = decision.retryAfterSeconds();
        String json = "{\"type\":\"about:blank\",\"title\":\"" + title(rejectionStatus) + "\",\"status\":"
                + rejectionStatus + ",\"detail\":\"rate limit '" + policy + "' exceeded; retry after " + seconds
                + " s\",\"policy\":\"" + policy + "\",\"retryAfter\":" + seconds + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String title(int status) {
        return switch (status) {
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            case 403 -> "Forbidden";
            default -> "Request Rejected";
        };
    }

    // ---------------------------------------------------------------------------------------------------- programmatic

    /**
     * Consumes one token of the named policy for a key, as {@link #tryAcquire(String, String, long)}.
     *
     * @throws IllegalArgumentException if no policy has that name
     */
    public RateLimitResult tryAcquire(String policyName, String key) {
        return tryAcquire(policyName, key, 1);
    }

    /**
     * Consumes {@code cost} tokens of the named policy for a key the caller chooses (an account name, a tenant, an
     * address). The key shares buckets with HTTP requests of the same policy: an IP literal with an {@code ip}-keyed
     * policy counts against that client's address bucket, a name with a {@code user}-keyed one against that user's.
     * Dry-run mode does not apply here: the result says what happened.
     *
     * @throws IllegalArgumentException if no policy has that name, or the cost is below 1 or above a rate's capacity
     */
    public RateLimitResult tryAcquire(String policyName, String key, long cost) {
        requireNonNull(policyName, "policyName");
        requireNonNull(key, "key");
        RateLimitPolicy policy = byName.get(policyName);
        if (policy == null) {
            throw new IllegalArgumentException(
                    "no rate limit policy named '" + policyName + "'; configured: " + byName.keySet());
        }
        for (Rate rate : policy.rates()) {
            Checks.requireArgument(
                    cost >= 1 && cost <= rate.capacity(),
                    "cost must be between 1 and the capacity of %s: %s",
                    rate,
                    cost);
        }
        BucketKey bucketKey = BucketKey.name(policy, key);
        if (policy.key().kind() == RateLimitKey.Kind.IP) {
            Optional<IpAddress> address = IpAddress.parse(key);
            if (address.isPresent()) {
                IpAddress ip = address.get();
                bucketKey = BucketKey.address(policy, ip.prefix(ip.isIpv4() ? ipv4Prefix : ipv6Prefix));
            }
        }
        long consumption = store.tryConsume(bucketKey, cost);
        boolean allowed = Consumption.isAllowed(consumption);
        try {
            if (allowed) {
                listener.onAllowed(policy, cost);
            } else {
                listener.onRejected(policy, Consumption.waitNanos(consumption), false);
            }
        } catch (RuntimeException e) {
            LOG.warn("rate limit listener {} failed; decisions are unaffected", listener, e);
        }
        return new RateLimitResult(
                policy.name(),
                allowed,
                Consumption.remaining(consumption),
                Duration.ofNanos(Consumption.waitNanos(consumption)),
                Duration.ofSeconds(Consumption.resetSeconds(consumption)));
    }

    /**
     * Consumes one token of the named policy for a key, or throws.
     *
     * @throws RateLimitExceededException carrying the policy name and the wait when the policy rejects the call
     * @throws IllegalArgumentException if no policy has that name
     */
    public void acquire(String policyName, String key) {
        RateLimitResult result = tryAcquire(policyName, key, 1);
        if (!result.allowed()) {
            throw new RateLimitExceededException(result.policy(), result.retryAfter());
        }
    }

    // ---------------------------------------------------------------------------------------------------- accessors

    /** Returns the policy with this name ({@code anon}, {@code user} or a scope's name). */
    public Optional<RateLimitPolicy> policy(String name) {
        return Optional.ofNullable(byName.get(requireNonNull(name, "name")));
    }

    /** Returns every policy: anonymous, authenticated, then scopes in the order added. */
    public List<RateLimitPolicy> policies() {
        return List.of(all);
    }

    /** Returns whether any policy is configured. */
    public boolean isEmpty() {
        return all.length == 0;
    }

    /** Returns whether any policy runs in the given stage. */
    public boolean hasPolicies(Stage stage) {
        return switch (stage) {
            case BEFORE_AUTHENTICATION -> before.length > 0;
            case AFTER_AUTHENTICATION -> after.length > 0;
            case ALL -> all.length > 0;
        };
    }

    /** Returns the bucket store. */
    public BucketStore store() {
        return store;
    }

    /** Returns whether the limiter only reports and never rejects. Default {@code false}. */
    public boolean dryRun() {
        return dryRun;
    }

    /** Returns the header style. Default {@link RateLimitHeaderStyle#IETF}. */
    public RateLimitHeaderStyle headerStyle() {
        return headerStyle;
    }

    /** Returns the prefix length by which IPv6 clients are grouped. Default 64. */
    public int ipv6Prefix() {
        return ipv6Prefix;
    }

    /** Returns the exempt path patterns. */
    public List<PathPattern> exemptPaths() {
        return exemptPaths;
    }

    /** Closes the store. */
    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "RateLimiter[" + List.of(all) + ", store=" + store + ", headers=" + headerStyle
                + (dryRun ? ", dry-run" : "") + "]";
    }

    /** Builds a {@link RateLimiter}. Not thread-safe; {@link #build()} leaves the builder reusable. */
    public static final class Builder {

        private @Nullable RateLimitPolicy anonymous;
        private @Nullable RateLimitPolicy authenticated;
        private final Map<String, RateLimitPolicy> scopes = new LinkedHashMap<>();
        private @Nullable BucketStore store;
        private long maxTrackedKeys = DEFAULT_MAX_TRACKED_KEYS;
        private int ipv4Prefix = 32;
        private int ipv6Prefix = 64;
        private RateLimitHeaderStyle headerStyle = RateLimitHeaderStyle.IETF;
        private boolean dryRun;
        private final List<PathPattern> exemptPaths = new ArrayList<>(PathPattern.listOf(DEFAULT_EXEMPT_PATHS));
        private boolean exemptPreflight = true;
        private TrustedProxies exemptAddresses = TrustedProxies.none();
        private int rejectionStatus = 429;
        private @Nullable String rejectionBody;
        private String rejectionContentType = "application/problem+json";
        private RateLimitListener listener = RateLimitListener.noop();
        private TimeSource timeSource = TimeSource.system();

        private Builder() {}

        /** Sets the rates for unauthenticated requests, counted by client address, for example {@code 1000/hour}. */
        public Builder anonymous(String rates) {
            return anonymous(Rate.parseList(rates));
        }

        /** Sets the rates for unauthenticated requests, counted by client address. */
        public Builder anonymous(List<Rate> rates) {
            this.anonymous = RateLimitPolicy.anonymous(rates);
            return this;
        }

        /** Sets the rates for authenticated requests, counted by principal name, for example {@code 5000/hour}. */
        public Builder authenticated(String rates) {
            return authenticated(Rate.parseList(rates));
        }

        /** Sets the rates for authenticated requests, counted by principal name. */
        public Builder authenticated(List<Rate> rates) {
            this.authenticated = RateLimitPolicy.authenticated(rates);
            return this;
        }

        /** Adds a scoped policy; building the builder here is a convenience. */
        public Builder scope(RateLimitPolicy.Builder scope) {
            return scope(requireNonNull(scope, "scope").build());
        }

        /**
         * Adds a scoped policy.
         *
         * @throws IllegalArgumentException if a scope of that name was already added
         */
        public Builder scope(RateLimitPolicy scope) {
            requireNonNull(scope, "scope");
            Checks.requireArgument(
                    scope.audience() == RateLimitPolicy.Audience.ANY,
                    "use anonymous(..) and authenticated(..) for the '%s' policy",
                    scope.name());
            Checks.requireArgument(
                    !scopes.containsKey(scope.name()), "rate limit scope '%s' was already added", scope.name());
            scopes.put(scope.name(), scope);
            return this;
        }

        /** Sets the bucket store. Default: {@link BucketStore#local(long, TimeSource)} with the max tracked keys. */
        public Builder store(BucketStore store) {
            this.store = requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets the most buckets the default local store keeps. Default 100 000.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxTrackedKeys(long maxTrackedKeys) {
            Checks.requireArgument(maxTrackedKeys >= 1, "max tracked keys must be at least 1: %s", maxTrackedKeys);
            this.maxTrackedKeys = maxTrackedKeys;
            return this;
        }

        /**
         * Sets the prefix length by which IPv6 clients are grouped. Default 64 (one household or server usually holds
         * a whole /64, so a smaller group lets one client rotate through many addresses).
         *
         * @throws IllegalArgumentException if not between 32 and 128
         */
        public Builder ipv6Prefix(int bits) {
            Checks.requireArgument(bits >= 32 && bits <= 128, "IPv6 prefix must be between 32 and 128 bits: %s", bits);
            this.ipv6Prefix = bits;
            return this;
        }

        /**
         * Sets the prefix length by which IPv4 clients are grouped. Default 32 (each address on its own).
         *
         * @throws IllegalArgumentException if not between 8 and 32
         */
        public Builder ipv4Prefix(int bits) {
            Checks.requireArgument(bits >= 8 && bits <= 32, "IPv4 prefix must be between 8 and 32 bits: %s", bits);
            this.ipv4Prefix = bits;
            return this;
        }

        /** Sets which rate-limit headers responses carry. Default {@link RateLimitHeaderStyle#IETF}. */
        public Builder headers(RateLimitHeaderStyle style) {
            this.headerStyle = requireNonNull(style, "style");
            return this;
        }

        /** Sets whether to count and send headers without ever rejecting. Default {@code false}. */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Adds exempt path patterns ({@link PathPattern} syntax), beside the default health endpoints. */
        public Builder exemptPaths(Collection<String> patterns) {
            requireNonNull(patterns, "patterns");
            exemptPaths.addAll(PathPattern.listOf(patterns));
            return this;
        }

        /** Removes every exempt path, the default health endpoints included. */
        public Builder clearExemptPaths() {
            exemptPaths.clear();
            return this;
        }

        /** Sets whether CORS preflight requests are exempt. Default {@code true}. */
        public Builder exemptPreflight(boolean exempt) {
            this.exemptPreflight = exempt;
            return this;
        }

        /**
         * Sets the allow-list: client addresses or CIDR blocks never limited, such as {@code 10.0.0.0/8}. Default none.
         *
         * @throws IllegalArgumentException naming the entry when one is not an address or CIDR block
         */
        public Builder exemptAddresses(Collection<String> cidrs) {
            requireNonNull(cidrs, "cidrs");
            try {
                this.exemptAddresses = TrustedProxies.of(cidrs);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "rate limit exempt address: " + e.getMessage().replace("trusted proxy must", "it must"), e);
            }
            return this;
        }

        /**
         * Sets the status of a rejection. Default 429.
         *
         * @throws IllegalArgumentException if not a 4xx or 5xx status
         */
        public Builder rejectionStatus(int status) {
            Checks.requireArgument(
                    status >= 400 && status <= 599, "rate limit rejection status must be 4xx or 5xx: %s", status);
            this.rejectionStatus = status;
            return this;
        }

        /**
         * Replaces the problem document with a fixed body. Default: an RFC 9457 {@code application/problem+json} body
         * naming the policy and the wait.
         */
        public Builder rejectionBody(String contentType, String body) {
            this.rejectionContentType = Checks.requireHeaderValue("rate limit rejection content type", contentType);
            this.rejectionBody = requireNonNull(body, "body");
            return this;
        }

        /** Sets the listener, for metrics and logs. Default {@link RateLimitListener#noop()}. */
        public Builder listener(RateLimitListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /** Sets the clock of the default local store. Default {@link TimeSource#system()}. */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = requireNonNull(timeSource, "timeSource");
            return this;
        }

        /** Builds the limiter. */
        public RateLimiter build() {
            return new RateLimiter(this);
        }
    }
}
