package dev.bulwark.spring;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Security headers ({@code bulwark.headers.*}). Header values that can be switched off accept {@code disabled}.
 *
 * @param enabled Whether Bulwark adds security headers
 * @param hsts Strict-Transport-Security settings
 * @param contentTypeOptions Whether to send X-Content-Type-Options: nosniff
 * @param frameOptions X-Frame-Options: deny, sameorigin or disabled
 * @param referrerPolicy Referrer-Policy value, such as same-origin or strict-origin-when-cross-origin, or disabled
 * @param crossOriginOpenerPolicy Cross-Origin-Opener-Policy value, or disabled
 * @param crossOriginResourcePolicy Cross-Origin-Resource-Policy value (same-origin, same-site, cross-origin), or
 *     disabled
 * @param crossOriginEmbedderPolicy Cross-Origin-Embedder-Policy value (require-corp, credentialless, unsafe-none), or
 *     disabled
 * @param xssProtection Whether to send X-XSS-Protection: 0, which turns off the legacy XSS auditor
 * @param permissionsPolicy Permissions-Policy header value, such as camera=(), geolocation=(self)
 * @param contentSecurityPolicy Enforced Content-Security-Policy; 'nonce-{nonce}' inserts a per-request nonce
 * @param contentSecurityPolicyReportOnly Content-Security-Policy-Report-Only, sent alongside the enforced policy
 * @param custom Additional headers by name
 * @param cacheControl Cache-Control rules by path pattern, first match wins, used when the application sets none
 * @param defaultCacheControl Cache-Control for responses no rule matches, used when the application sets none
 * @param exemptPaths Path patterns that get no security headers at all
 * @param overrides Per-path changes to single headers
 */
@ConfigurationProperties("bulwark.headers")
public record HeadersProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue Hsts hsts,
        @DefaultValue("true") boolean contentTypeOptions,
        @DefaultValue("deny") String frameOptions,
        @DefaultValue("same-origin") String referrerPolicy,
        @DefaultValue("same-origin") String crossOriginOpenerPolicy,
        @DefaultValue("disabled") String crossOriginResourcePolicy,
        @DefaultValue("disabled") String crossOriginEmbedderPolicy,
        @DefaultValue("true") boolean xssProtection,
        @Nullable String permissionsPolicy,
        @Nullable String contentSecurityPolicy,
        @Nullable String contentSecurityPolicyReportOnly,
        @DefaultValue Map<String, String> custom,
        @DefaultValue List<CacheRule> cacheControl,
        @Nullable String defaultCacheControl,
        @DefaultValue List<String> exemptPaths,
        @DefaultValue List<HeaderOverride> overrides) {

    /**
     * Strict-Transport-Security ({@code bulwark.headers.hsts.*}); sent on secure requests only.
     *
     * @param enabled Whether to send Strict-Transport-Security
     * @param maxAge How long browsers remember to use HTTPS only (seconds if no unit is given)
     * @param includeSubdomains Whether the rule covers every subdomain
     * @param preload Whether to ask for browser preload lists; needs max-age of a year or more and include-subdomains
     */
    public record Hsts(
            @DefaultValue("true") boolean enabled,

            @DefaultValue("365d") @DurationUnit(ChronoUnit.SECONDS)
            Duration maxAge,

            @DefaultValue("true") boolean includeSubdomains,
            @DefaultValue("false") boolean preload) {}

    /**
     * A Cache-Control rule.
     *
     * @param path Path pattern, such as /static/**
     * @param value Cache-Control value, such as public, max-age=31536000, immutable
     */
    public record CacheRule(@Nullable String path, @Nullable String value) {}

    /**
     * A change to one header on some paths.
     *
     * @param path Path pattern, such as /embed/**
     * @param header Header name
     * @param value New value; empty or disabled removes the header on these paths
     */
    public record HeaderOverride(
            String path, String header, @Nullable String value) {}
}
