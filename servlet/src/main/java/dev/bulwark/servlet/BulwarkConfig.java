package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.PathPattern;
import dev.bulwark.core.RequestListener;
import dev.bulwark.core.accesslog.AccessLog;
import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.headers.CookiePolicy;
import dev.bulwark.core.headers.HttpsRedirect;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.internal.Checks;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.core.readiness.RuntimeFindings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link Bulwark#install} registers, as built core objects.
 *
 * <p>Defaults ({@link #defaults()}): client identity with no trusted proxy, the default security headers, cookie
 * hardening of the session cookie, no HTTPS redirect (turn it on with {@link Builder#httpsRedirect}) and no CORS (no
 * origin is allowed until configured, {@link Builder#cors}), {@linkplain RequestLimits#defaults() request limits}
 * (10 MiB bodies, 1000 form fields, 50 multipart parts, URL and header ceilings), the {@linkplain AccessLog#defaults()
 * access log} ({@code combined} on the logger {@code bulwark.access}), slow-request warnings above 120 s, and no
 * concurrency limit, metrics or health endpoints (these need configuring: a limit, a {@link RequestListener} such
 * as {@code RequestMetrics}, {@link Builder#health}). A {@code null} capability is not installed.
 *
 * <p>Instances are immutable and safe for concurrent use; builders are not thread-safe.
 */
public final class BulwarkConfig {

    private final ClientAddressResolver clientAddressResolver;
    private final @Nullable HttpsRedirect httpsRedirect;
    private final @Nullable SecurityHeadersPolicy securityHeaders;
    private final @Nullable CookiePolicy cookies;
    private final @Nullable Cors cors;
    private final @Nullable RateLimiter rateLimiter;
    private final @Nullable HealthFilter health;
    private final RuntimeFindings runtimeFindings;
    private final @Nullable RequestLimits requestLimits;
    private final @Nullable ConcurrencyLimiter concurrencyLimiter;
    private final @Nullable Duration slowRequestThreshold;
    private final @Nullable AccessLog accessLog;
    private final @Nullable RequestListener requestListener;
    private final List<String> routePatterns;

    private BulwarkConfig(Builder b) {
        this.clientAddressResolver = b.clientAddressResolver;
        this.httpsRedirect = b.httpsRedirect;
        this.securityHeaders = b.securityHeaders;
        this.cookies = b.cookies;
        this.cors = b.cors;
        this.rateLimiter = b.rateLimiter;
        this.health = b.health;
        this.runtimeFindings = b.runtimeFindings;
        this.requestLimits = b.requestLimits;
        this.concurrencyLimiter = b.concurrencyLimiter;
        this.slowRequestThreshold = b.slowRequestThreshold;
        this.accessLog = b.accessLog;
        this.requestListener = b.requestListener;
        this.routePatterns = b.routePatterns;
    }

    /** Returns the defaults described in the class documentation. */
    public static BulwarkConfig defaults() {
        return builder().build();
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the client address resolver (always installed: every other filter relies on it). */
    public ClientAddressResolver clientAddressResolver() {
        return clientAddressResolver;
    }

    /** Returns the HTTPS redirect, if on. */
    public Optional<HttpsRedirect> httpsRedirect() {
        return Optional.ofNullable(httpsRedirect);
    }

    /** Returns the security headers policy, if on. */
    public Optional<SecurityHeadersPolicy> securityHeaders() {
        return Optional.ofNullable(securityHeaders);
    }

    /** Returns the cookie policy, if on. */
    public Optional<CookiePolicy> cookies() {
        return Optional.ofNullable(cookies);
    }

    /** Returns the CORS engine, if on. */
    public Optional<Cors> cors() {
        return Optional.ofNullable(cors);
    }

    /** Returns where readiness findings observed while serving are collected. Default: a new, empty collector. */
    public RuntimeFindings runtimeFindings() {
        return runtimeFindings;
    }

    /** Returns the rate limiter, if rate limiting is enabled. Default: none (no rates are assumed for you). */
    public Optional<RateLimiter> rateLimiter() {
        return Optional.ofNullable(rateLimiter);
    }

    /** Returns the health endpoints filter, if on. Default: none. */
    public Optional<HealthFilter> health() {
        return Optional.ofNullable(health);
    }

    /** Returns the request limits, if on. Default {@link RequestLimits#defaults()}. */
    public Optional<RequestLimits> requestLimits() {
        return Optional.ofNullable(requestLimits);
    }

    /** Returns the concurrency limiter, if one is configured. Default: none. */
    public Optional<ConcurrencyLimiter> concurrencyLimiter() {
        return Optional.ofNullable(concurrencyLimiter);
    }

    /** Returns the duration above which a request is logged as slow, if on. Default 120 s. */
    public Optional<Duration> slowRequestThreshold() {
        return Optional.ofNullable(slowRequestThreshold);
    }

    /** Returns the access log, if on. Default {@link AccessLog#defaults()}. */
    public Optional<AccessLog> accessLog() {
        return Optional.ofNullable(accessLog);
    }

    /** Returns the listener that receives every request, for metrics, if one is configured. Default: none. */
    public Optional<RequestListener> requestListener() {
        return Optional.ofNullable(requestListener);
    }

    /** Returns the route patterns metrics fall back on when no framework names the route. Default: none. */
    public List<String> routePatterns() {
        return routePatterns;
    }

    /** Builds a {@link BulwarkConfig}; not thread-safe. */
    public static final class Builder {
        private ClientAddressResolver clientAddressResolver = ClientAddressResolver.defaults();
        private @Nullable HttpsRedirect httpsRedirect;
        private @Nullable SecurityHeadersPolicy securityHeaders = SecurityHeadersPolicy.defaults();
        private @Nullable CookiePolicy cookies = CookiePolicy.defaults();
        private @Nullable Cors cors;
        private @Nullable RateLimiter rateLimiter;
        private @Nullable HealthFilter health;
        private RuntimeFindings runtimeFindings = new RuntimeFindings();
        private @Nullable RequestLimits requestLimits = RequestLimits.defaults();
        private @Nullable ConcurrencyLimiter concurrencyLimiter;
        private @Nullable Duration slowRequestThreshold = OverloadProtectionFilter.DEFAULT_SLOW_REQUEST_THRESHOLD;
        private @Nullable AccessLog accessLog = AccessLog.defaults();
        private @Nullable RequestListener requestListener;
        private List<String> routePatterns = List.of();

        private Builder() {}

        /** Sets where readiness findings observed while serving are collected. */
        public Builder runtimeFindings(RuntimeFindings findings) {
            this.runtimeFindings = requireNonNull(findings, "findings");
            return this;
        }

        /** Sets the client address resolver (default: trusts no proxy). */
        public Builder clientAddressResolver(ClientAddressResolver resolver) {
            this.clientAddressResolver = requireNonNull(resolver, "resolver");
            return this;
        }

        /** Sets the HTTPS redirect (default: off). */
        public Builder httpsRedirect(@Nullable HttpsRedirect redirect) {
            this.httpsRedirect = redirect;
            return this;
        }

        /** Sets the security headers (default: {@link SecurityHeadersPolicy#defaults()}); null turns them off. */
        public Builder securityHeaders(@Nullable SecurityHeadersPolicy policy) {
            this.securityHeaders = policy;
            return this;
        }

        /** Sets cookie hardening (default: {@link CookiePolicy#defaults()}); null turns it off. */
        public Builder cookies(@Nullable CookiePolicy policy) {
            this.cookies = policy;
            return this;
        }

        /** Sets CORS (default: off, since no origin is allowed until configured). */
        public Builder cors(@Nullable Cors cors) {
            this.cors = cors;
            return this;
        }

        /**
         * Sets the rate limiter, for example {@code RateLimiter.builder().anonymous("1000/hour").build()}; {@code null}
         * disables rate limiting. Default: disabled.
         */
        public Builder rateLimiter(@Nullable RateLimiter rateLimiter) {
            this.rateLimiter = rateLimiter;
            return this;
        }

        /**
         * Serves {@code /health/live}, {@code /health/ready} and {@code /health/started} from the registry, with the
         * defaults of {@link HealthFilter#of} (health+json, no details), and counts requests in flight for its
         * lifecycle; {@code null} turns the endpoints off. Default: off.
         */
        public Builder health(@Nullable HealthRegistry registry) {
            this.health = registry == null ? null : HealthFilter.of(registry);
            return this;
        }

        /** Sets the request limits (default: {@link RequestLimits#defaults()}); null turns them off. */
        public Builder requestLimits(@Nullable RequestLimits limits) {
            this.requestLimits = limits;
            return this;
        }

        /**
         * Sets the concurrency limiter, for example {@code ConcurrencyLimiter.builder().maxConcurrent(20).build()};
         * null (the default) admits every request.
         */
        public Builder concurrencyLimiter(@Nullable ConcurrencyLimiter limiter) {
            this.concurrencyLimiter = limiter;
            return this;
        }

        /**
         * Sets the duration above which a completed request is logged as slow (default 120 s, the seed's worker
         * timeout); null turns the warning off.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder slowRequestThreshold(@Nullable Duration threshold) {
            Checks.requireArgument(
                    threshold == null || (!threshold.isNegative() && !threshold.isZero()),
                    "slow request threshold must be positive: %s",
                    threshold);
            this.slowRequestThreshold = threshold;
            return this;
        }

        /** Sets the access log (default: {@link AccessLog#defaults()}); null turns it off. */
        public Builder accessLog(@Nullable AccessLog accessLog) {
            this.accessLog = accessLog;
            return this;
        }

        /**
         * Sets the listener that receives every request, for metrics, such as {@code new RequestMetrics(registry)};
         * null (the default) installs no metrics filter.
         */
        public Builder requestListener(@Nullable RequestListener listener) {
            this.requestListener = listener;
            return this;
        }

        /**
         * Serves the health endpoints with the given filter, for another base path, format or details level, such as
         * {@code HealthFilter.builder(registry).basePath("/internal/health").build()}; {@code null} turns them off.
         */
        public Builder health(@Nullable HealthFilter filter) {
            this.health = filter;
            return this;
        }

        /**
         * Sets the route patterns ({@code PathPattern} syntax, such as {@code /api/items/*}) metrics use as the route
         * of a request no framework names, first match wins. Default: none (the servlet mapping, else {@code
         * UNKNOWN}).
         *
         * @throws IllegalArgumentException if a pattern is invalid
         */
        public Builder routePatterns(Collection<String> patterns) {
            PathPattern.listOf(requireNonNull(patterns, "patterns"));
            this.routePatterns = List.copyOf(patterns);
            return this;
        }

        /** Builds the configuration. */
        public BulwarkConfig build() {
            return new BulwarkConfig(this);
        }
    }
}
