package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.headers.CookiePolicy;
import dev.bulwark.core.headers.HttpsRedirect;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.core.readiness.Readiness;
import dev.bulwark.core.readiness.ReadinessContext;
import dev.bulwark.core.readiness.ReadinessReport;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs every Bulwark filter into a Servlet 6 container, in the documented {@linkplain FilterOrder order}.
 *
 * <pre>{@code
 * // in a ServletContainerInitializer, a ServletContextListener, or an embedded server's set-up code
 * Bulwark.install(servletContext, BulwarkConfig.builder()
 *     .clientAddressResolver(ClientAddressResolver.builder().trustedProxies(List.of("10.0.0.0/8")).build())
 *     .httpsRedirect(HttpsRedirect.defaults())
 *     .build());
 * }</pre>
 *
 * <p>Call it while the context is being initialized (before it starts serving). Filters are mapped to {@code /*} for
 * {@code REQUEST} dispatches, ahead of filters declared in {@code web.xml}. Stateless; safe to call from any thread.
 *
 * <p>With {@link BulwarkConfig.Builder#health health endpoints} configured, the application's lifecycle is still
 * the caller's: readiness answers {@code 503} until {@code registry.lifecycle().markStarted()}, and a graceful drain
 * needs {@code GracefulShutdown.shutdown()} before the server stops; {@link HealthLifecycleListener} does both.
 */
public final class Bulwark {

    /** Filter names used by {@link #install}, prefixed so they never clash with the application's. */
    public static final String CLIENT_IDENTITY = "bulwarkClientIdentity";
    /** Name of the HTTPS redirect filter. */
    public static final String HTTPS_REDIRECT = "bulwarkHttpsRedirect";
    /** Name of the security headers filter. */
    public static final String SECURITY_HEADERS = "bulwarkSecurityHeaders";
    /** Name of the cookie hardening filter. */
    public static final String COOKIES = "bulwarkCookies";
    /** Name of the CORS filter. */
    public static final String CORS = "bulwarkCors";

    /** Name of the health endpoints filter. */
    public static final String HEALTH = "bulwarkHealth";

    /** The name of the rate-limit filter. */
    public static final String RATE_LIMIT = "bulwarkRateLimit";
    /** The name of the request metrics filter. */
    public static final String REQUEST_METRICS = "bulwarkRequestMetrics";
    /** The name of the access log filter. */
    public static final String ACCESS_LOG = "bulwarkAccessLog";
    /** The name of the request limits filter. */
    public static final String REQUEST_LIMITS = "bulwarkRequestLimits";
    /** The name of the overload protection filter (concurrency limit and slow-request log). */
    public static final String OVERLOAD = "bulwarkOverload";

    private static final Logger LOG = LoggerFactory.getLogger(Bulwark.class);

    private Bulwark() {}

    /**
     * Registers the configured filters with the context, in order, and logs the sizing of the deployment once: the
     * container's request threads (found on Jetty, and on Tomcat when its JMX registry is on), the CPU count and the
     * concurrency limit, with the seed's sizing rule as a suggestion when no limit is set.
     *
     * @return the names of the registered filters, in order
     * @throws IllegalStateException if the context has already been initialized, or a filter of that name exists
     */
    public static List<String> install(ServletContext context, BulwarkConfig config) {
        requireNonNull(context, "context");
        requireNonNull(config, "config");
        config.cookies().ifPresent(policy -> SecureCookiesFilter.configureSessionCookie(context, policy));
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Filter> e : filters(config)) {
            FilterRegistration.Dynamic registration = context.addFilter(e.getKey(), e.getValue());
            if (registration == null) {
                throw new IllegalStateException(
                        "a filter named '" + e.getKey() + "' is already registered; install Bulwark only once");
            }
            registration.setAsyncSupported(true);
            // client identity also wraps error, forward and async dispatches, so that error pages (and Spring
            // Security on them) see the client's scheme and host; the other filters act once per request
            EnumSet<DispatcherType> dispatches = CLIENT_IDENTITY.equals(e.getKey())
                    ? EnumSet.of(
                            DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.FORWARD, DispatcherType.ASYNC)
                    : EnumSet.of(DispatcherType.REQUEST);
            registration.addMappingForUrlPatterns(dispatches, false, "/*");
            names.add(e.getKey());
        }
        logSizing(context, config.concurrencyLimiter().orElse(null));
        return List.copyOf(names);
    }

    private static void logSizing(ServletContext context, @Nullable ConcurrencyLimiter limiter) {
        try {
            String container = context.getServerInfo();
            LOG.info(ConcurrencyLimiter.sizingReport(
                    limiter,
                    ContainerThreads.of(context),
                    container == null ? "container" : container,
                    Runtime.getRuntime().availableProcessors()));
        } catch (RuntimeException e) {
            LOG.debug("could not describe the container's thread pool", e);
        }
    }

    /**
     * Returns the configured filters by name, in the order they must run, for frameworks that register filters
     * themselves.
     */
    /**
     * Runs the production readiness checks against a configuration: the built-in checks plus findings seen while
     * serving. Log the report at startup, and call {@link ReadinessReport#failOn} to refuse to start when it is bad.
     *
     * @param production whether this is a production deployment (some checks only apply there)
     * @param tls whether this server terminates TLS itself
     */
    public static ReadinessReport readiness(
            BulwarkConfig config, Readiness.Builder readiness, boolean production, boolean tls) {
        requireNonNull(config, "config");
        requireNonNull(readiness, "readiness");
        ReadinessContext.Builder context = ReadinessContext.builder()
                .production(production)
                .tls(tls)
                .component(ClientAddressResolver.class, config.clientAddressResolver());
        config.httpsRedirect().ifPresent(c -> context.component(HttpsRedirect.class, c));
        config.securityHeaders().ifPresent(c -> context.component(SecurityHeadersPolicy.class, c));
        config.cookies().ifPresent(c -> context.component(CookiePolicy.class, c));
        config.cors().ifPresent(c -> context.component(Cors.class, c));
        config.rateLimiter().ifPresent(c -> context.component(RateLimiter.class, c));
        config.requestLimits().ifPresent(c -> context.component(RequestLimits.class, c));
        config.concurrencyLimiter().ifPresent(c -> context.component(ConcurrencyLimiter.class, c));
        config.health().ifPresent(c -> context.component(HealthFilter.class, c));
        return readiness.runtime(config.runtimeFindings()).build().run(context.build());
    }

    public static List<Map.Entry<String, Filter>> filters(BulwarkConfig config) {
        requireNonNull(config, "config");
        List<Map.Entry<String, Filter>> filters = new ArrayList<>();
        filters.add(Map.entry(
                CLIENT_IDENTITY, new ClientIdentityFilter(config.clientAddressResolver(), config.runtimeFindings())));
        config.requestListener()
                .ifPresent(l ->
                        filters.add(Map.entry(REQUEST_METRICS, new RequestMetricsFilter(l, config.routePatterns()))));
        config.accessLog().ifPresent(a -> filters.add(Map.entry(ACCESS_LOG, new AccessLogFilter(a))));
        config.securityHeaders().ifPresent(p -> filters.add(Map.entry(SECURITY_HEADERS, new SecurityHeadersFilter(p))));
        config.health().ifPresent(h -> filters.add(Map.entry(HEALTH, h)));
        config.httpsRedirect().ifPresent(r -> filters.add(Map.entry(HTTPS_REDIRECT, new HttpsRedirectFilter(r))));
        config.cookies().ifPresent(p -> filters.add(Map.entry(COOKIES, new SecureCookiesFilter(p))));
        config.cors().ifPresent(c -> filters.add(Map.entry(CORS, new CorsFilter(c))));
        config.requestLimits().ifPresent(l -> filters.add(Map.entry(REQUEST_LIMITS, new RequestLimitsFilter(l))));
        config.rateLimiter()
                .filter(limiter -> !limiter.isEmpty())
                .ifPresent(limiter -> filters.add(Map.entry(RATE_LIMIT, new RateLimitFilter(limiter))));
        ConcurrencyLimiter limiter = config.concurrencyLimiter().orElse(null);
        if (limiter != null || config.slowRequestThreshold().isPresent()) {
            filters.add(Map.entry(
                    OVERLOAD,
                    new OverloadProtectionFilter(
                            limiter, config.slowRequestThreshold().orElse(null))));
        }
        return List.copyOf(filters);
    }
}
