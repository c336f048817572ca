package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import dev.bulwark.core.internal.Checks;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A named set of rates, who they apply to, and what they count by.
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe. Three kinds exist, all
 * evaluated on every request by {@link RateLimiter} (the longest wait wins):
 *
 * <ul>
 *   <li>{@link #anonymous(List)}: named {@code anon}, applies to unauthenticated requests, counted by client address;
 *   <li>{@link #authenticated(List)}: named {@code user}, applies to authenticated requests, counted by principal;
 *   <li>{@link #scope(String)}: any name, applies to requests whose path and method match, counted by the configured
 *       {@link RateLimitKey} (default {@code ip}), each request costing {@link #cost()} tokens (default 1). For
 *       example a strict {@code login} scope of {@code 5/min} on {@code POST /login}.
 * </ul>
 *
 * <p>The bucket4j configuration and the {@code RateLimit-Policy} header items (draft-ietf-httpapi-ratelimit-headers-10)
 * are computed once, when the policy is built.
 */
public final class RateLimitPolicy {

    /** The least time a local bucket is kept past its full time (see {@link #expiryMarginNanos()}). */
    private static final long MIN_EXPIRY_MARGIN_NANOS = 2_000_000_000L;

    /** The most rates one policy may combine; they share one bucket with one bandwidth per rate. */
    static final int MAX_RATES = 7;

    /** Whose requests a policy applies to. */
    enum Audience {
        ANONYMOUS,
        AUTHENTICATED,
        ANY
    }

    private final String name;
    private final List<Rate> rates;
    private final Audience audience;
    private final RateLimitKey key;
    private final List<PathPattern> paths;
    private final Set<String> methods;
    private final long cost;

    private final BucketConfiguration configuration;
    private final String[] itemPrefixes;
    private final String policyHeader;
    private final long[] nanosPerToken;
    private final long[] capacities;
    private final long expiryMarginNanos;

    private RateLimitPolicy(Builder builder, Audience audience) {
        this.name = builder.name;
        this.rates = List.copyOf(builder.rates);
        this.audience = audience;
        this.key = builder.key;
        this.paths = List.copyOf(builder.paths);
        this.methods = Set.copyOf(builder.methods);
        this.cost = builder.cost;

        List<Bandwidth> bandwidths = new ArrayList<>(rates.size());
        itemPrefixes = new String[rates.size()];
        nanosPerToken = new long[rates.size()];
        capacities = new long[rates.size()];
        StringBuilder header = new StringBuilder();
        long slowestTokenNanos = 0;
        for (int i = 0; i < rates.size(); i++) {
            Rate rate = rates.get(i);
            bandwidths.add(rate.toBandwidth());
            String itemName =
                    rates.size() == 1 ? name : name + "-" + rate.window().getSeconds() + "s";
            itemPrefixes[i] = '"' + itemName + "\";r=";
            nanosPerToken[i] = ceilDiv(rate.window().toNanos(), rate.count());
            capacities[i] = rate.capacity();
            slowestTokenNanos = Math.max(slowestTokenNanos, nanosPerToken[i]);
            if (i > 0) {
                header.append(", ");
            }
            header.append('"')
                    .append(itemName)
                    .append("\";q=")
                    .append(rate.capacity())
                    .append(";w=")
                    .append(rate.window().getSeconds());
        }
        this.configuration = new BucketConfiguration(bandwidths);
        this.policyHeader = header.toString();
        // A local bucket is kept this long past its full time: room for sixteen requests, so most requests leave the
        // entry's expiry alone, and at least two seconds, so that every move of the expiry is one the cache applies
        // (Caffeine skips moves of a read's expiry by less than a second).
        this.expiryMarginNanos =
                Math.max(saturatedMultiply(saturatedMultiply(slowestTokenNanos, cost), 16), MIN_EXPIRY_MARGIN_NANOS)
                        + 1_000_000L;
    }

    /**
     * Returns the policy for unauthenticated requests, named {@code anon}, counted by client address.
     *
     * @throws IllegalArgumentException if the list is empty or holds more than 7 rates
     */
    public static RateLimitPolicy anonymous(List<Rate> rates) {
        return new Builder("anon").rates(rates).build(Audience.ANONYMOUS);
    }

    /**
     * Returns the policy for authenticated requests, named {@code user}, counted by principal name.
     *
     * @throws IllegalArgumentException if the list is empty or holds more than 7 rates
     */
    public static RateLimitPolicy authenticated(List<Rate> rates) {
        return new Builder("user").rates(rates).key(RateLimitKey.user()).build(Audience.AUTHENTICATED);
    }

    /**
     * Returns a builder for a scoped policy. Without paths it matches every path; without methods every method.
     *
     * @param name letters, digits, {@code .}, {@code _} and {@code -}, at most 64 characters; used in headers and metrics
     * @throws IllegalArgumentException if the name is not valid, or is {@code anon} or {@code user}
     */
    public static Builder scope(String name) {
        requireNonNull(name, "name");
        Checks.requireArgument(
                !name.equals("anon") && !name.equals("user"),
                "rate limit scope name '%s' is reserved for the anonymous/authenticated policy; choose another name",
                name);
        return new Builder(name);
    }

    /** Returns the name, used in response headers, metrics tags and exceptions. */
    public String name() {
        return name;
    }

    /** Returns the rates; every one applies. */
    public List<Rate> rates() {
        return rates;
    }

    /** Returns what this policy counts by. */
    public RateLimitKey key() {
        return key;
    }

    /** Returns the path patterns this scope applies to; empty for every path. */
    public List<PathPattern> paths() {
        return paths;
    }

    /** Returns the methods (upper case) this scope applies to; empty for every method. */
    public Set<String> methods() {
        return methods;
    }

    /** Returns the tokens one request consumes. Default 1. */
    public long cost() {
        return cost;
    }

    /** Returns whether this is the anonymous, authenticated or a scoped policy. */
    Audience audience() {
        return audience;
    }

    /** Returns whether evaluating this policy needs to know the principal (so it runs after authentication). */
    boolean needsPrincipal() {
        return audience != Audience.ANY || key.needsPrincipal();
    }

    /** Returns whether this policy applies to a request with this method, path and authentication state. */
    boolean appliesTo(String method, String path, boolean authenticated) {
        return switch (audience) {
            case ANONYMOUS -> !authenticated;
            case AUTHENTICATED -> authenticated;
            case ANY ->
                (methods.isEmpty() || methods.contains(method))
                        && (paths.isEmpty() || PathPattern.anyMatches(paths, path));
        };
    }

    /** Returns the bucket4j configuration: one greedy bandwidth per rate. */
    public BucketConfiguration bucketConfiguration() {
        return configuration;
    }

    /** Returns the start of the rate's {@code RateLimit} item, up to its remaining count: {@code "name";r=}. */
    String itemPrefix(int index) {
        return itemPrefixes[index];
    }

    /** Returns the {@code RateLimit-Policy} items of this policy, for example {@code "anon";q=1000;w=3600}. */
    String policyHeader() {
        return policyHeader;
    }

    /** Returns the capacity of the rate at {@code index}. */
    long capacity(int index) {
        return capacities[index];
    }

    /** Returns the refill time of one token of the rate at {@code index}, in nanoseconds, rounded up. */
    long nanosPerToken(int index) {
        return nanosPerToken[index];
    }

    /** Returns how far past its computed full-refill time a local bucket is kept, at most. */
    long expiryMarginNanos() {
        return expiryMarginNanos;
    }

    @Override
    public String toString() {
        return "RateLimitPolicy[" + name + " " + rates + ", key=" + key
                + (paths.isEmpty() ? "" : ", paths=" + paths)
                + (methods.isEmpty() ? "" : ", methods=" + methods)
                + (cost == 1 ? "" : ", cost=" + cost)
                + "]";
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE / 4;
    }

    /**
     * Builds a scoped {@link RateLimitPolicy}. Not thread-safe; {@link #build()} leaves the builder reusable.
     */
    public static final class Builder {

        private final String name;
        private final List<Rate> rates = new ArrayList<>();
        private RateLimitKey key = RateLimitKey.ip();
        private final List<PathPattern> paths = new ArrayList<>();
        private final Set<String> methods = new LinkedHashSet<>();
        private long cost = 1;

        private Builder(String name) {
            Checks.requireArgument(
                    isValidName(name),
                    "rate limit policy name must be 1 to 64 letters, digits, '.', '_' or '-': '%s'",
                    Checks.escape(name));
            this.name = name;
        }

        /** Adds rates, for example {@code Rate.parseList("10/s,1000/hour")}. */
        public Builder rates(List<Rate> rates) {
            requireNonNull(rates, "rates");
            rates.forEach(rate -> this.rates.add(requireNonNull(rate, "rates element")));
            return this;
        }

        /** Adds rates parsed from text such as {@code 5/min} or {@code 10/s,1000/hour}. */
        public Builder rates(String rates) {
            return rates(Rate.parseList(rates));
        }

        /** Sets what the scope counts by. Default {@link RateLimitKey#ip()}. */
        public Builder key(RateLimitKey key) {
            this.key = requireNonNull(key, "key");
            return this;
        }

        /** Adds path patterns ({@link PathPattern} syntax) the scope applies to. Default: every path. */
        public Builder paths(String... patterns) {
            return paths(List.of(patterns));
        }

        /** Adds path patterns ({@link PathPattern} syntax) the scope applies to. Default: every path. */
        public Builder paths(Collection<String> patterns) {
            requireNonNull(patterns, "patterns");
            paths.addAll(PathPattern.listOf(patterns));
            return this;
        }

        /** Adds HTTP methods the scope applies to, such as {@code POST}. Default: every method. */
        public Builder methods(String... methods) {
            return methods(List.of(methods));
        }

        /** Adds HTTP methods the scope applies to, such as {@code POST}. Default: every method. */
        public Builder methods(Collection<String> methods) {
            requireNonNull(methods, "methods");
            for (String method : methods) {
                requireNonNull(method, "methods element");
                Checks.requireArgument(
                        Checks.isToken(method), "rate limit method must be an HTTP method such as POST: '%s'", method);
                this.methods.add(method.toUpperCase(Locale.ROOT));
            }
            return this;
        }

        /**
         * Sets the tokens one matching request consumes (its weight). Default 1.
         *
         * @throws IllegalArgumentException if the cost is below 1
         */
        public Builder cost(long cost) {
            Checks.requireArgument(cost >= 1, "rate limit cost must be at least 1: %s", cost);
            this.cost = cost;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException if no rate was given, more than 7 were, or the cost exceeds a rate's capacity
         */
        public RateLimitPolicy build() {
            return build(Audience.ANY);
        }

        RateLimitPolicy build(Audience audience) {
            Checks.requireArgument(!rates.isEmpty(), "rate limit policy '%s' needs at least one rate", name);
            Checks.requireArgument(
                    rates.size() <= MAX_RATES,
                    "rate limit policy '%s' has %s rates; at most %s are supported",
                    name,
                    rates.size(),
                    MAX_RATES);
            for (Rate rate : rates) {
                Checks.requireArgument(
                        cost <= rate.capacity(),
                        "rate limit policy '%s' costs %s per request, more than the capacity of its rate %s: "
                                + "no request could ever pass; lower the cost or raise the burst",
                        name,
                        cost,
                        rate);
            }
            return new RateLimitPolicy(this, audience);
        }

        private static boolean isValidName(@Nullable String name) {
            if (name == null || name.isEmpty() || name.length() > 64) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '.'
                        || c == '_'
                        || c == '-';
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
