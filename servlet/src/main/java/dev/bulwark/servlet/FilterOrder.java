package dev.bulwark.servlet;

/**
 * The documented order of Bulwark's filters, as Spring-style order values (lower runs first).
 *
 * <p>Client identity comes first, so every later filter and the application see the proxy-aware client, scheme and
 * host; then request metrics and the access log, which time the whole request and see every rejection below them;
 * then the security headers (so that redirects carry them too: HSTS on a secure redirect to the canonical host is what
 * preload lists require); then the health endpoints, ahead of everything that could turn a load balancer's plain-HTTP,
 * credential-less probe away (HTTPS redirect, rate limiting, authentication), and counting every later request in
 * flight for the graceful drain; then the HTTPS redirect and cookie hardening; then CORS, so that preflights are
 * answered before authentication; then request limits (URL, headers, body size, form fields, multipart parts: their
 * {@code 4xx} answers carry the security and CORS headers, so a browser can read them), rate limiting by address, and
 * overload protection last among Bulwark's own, so that only requests every cheaper check admitted take a concurrency
 * slot; then the application's security (Spring Security's filter chain sits at {@code -100}), which the limiter thus
 * also protects; then the filters that need the authenticated principal, such as rate limiting by user and recording
 * the user for the access log. {@link Bulwark#install} registers filters in this order; the Spring adapter uses these
 * values for its {@code FilterRegistrationBean}s.
 */
public final class FilterOrder {

    private static final int BASE = Integer.MIN_VALUE + 1000;

    /** {@link ClientIdentityFilter}. */
    public static final int CLIENT_IDENTITY = BASE;
    /** {@link RequestMetricsFilter}: times every request, Bulwark's rejections included. */
    public static final int REQUEST_METRICS = BASE + 3;
    /** {@link AccessLogFilter}: one line per request, Bulwark's rejections included. */
    public static final int ACCESS_LOG = BASE + 5;
    /** {@link SecurityHeadersFilter}. */
    public static final int SECURITY_HEADERS = BASE + 10;
    /**
     * {@link HealthFilter}: after client identity (its details authorizer may look at the real client address) and the
     * security headers (health responses carry them too), before the HTTPS redirect, rate limiting and authentication,
     * which must never answer a probe in its place.
     */
    public static final int HEALTH = BASE + 15;
    /** {@link HttpsRedirectFilter}. */
    public static final int HTTPS_REDIRECT = BASE + 20;
    /** {@link SecureCookiesFilter}. */
    public static final int COOKIES = BASE + 30;
    /** {@link CorsFilter}: before authentication, so preflights never need credentials. */
    public static final int CORS = BASE + 40;

    /**
     * {@link RequestLimitsFilter}: after CORS (so its answers carry CORS headers) and before rate limiting and
     * authentication, which may read parameters.
     */
    public static final int REQUEST_LIMITS = BASE + 45;
    /**
     * Rate-limit policies that do not depend on the principal (scopes keyed by address or header), before
     * authentication, so that a login endpoint the security framework answers itself is limited too.
     */
    public static final int RATE_LIMIT = BASE + 50;
    /**
     * {@link OverloadProtectionFilter}: the last of Bulwark's filters before authentication, so that the concurrency
     * limiter bounds the work of the application's security and the application itself.
     */
    public static final int OVERLOAD = BASE + 60;
    /** Spring Security's default filter-chain order, for reference. */
    public static final int SPRING_SECURITY = -100;
    /** Filters that need the authenticated principal (rate limiting by user, {@link AccessLogUserFilter}). */
    public static final int AFTER_AUTHENTICATION = -90;

    private FilterOrder() {}
}
