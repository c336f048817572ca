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
 * CORS ({@code bulwark.cors.*}): a default policy for every path, plus named mappings by path pattern, tried by
 * ascending {@code order} (first match wins). Each mapping is complete on its own: it does not inherit the top-level
 * values. Nothing is allowed until origins are configured.
 *
 * @param enabled Whether Bulwark handles CORS
 * @param allowedOrigins Origins allowed by the default policy: exact (https://app.example.com), a subdomain pattern
 *     (https://*.example.com) or a port pattern (https://example.com:*); * allows any origin without credentials
 * @param allowedOriginRegex Regular expression matched against the whole origin (escape hatch; logs a warning)
 * @param allowedMethods Methods allowed in preflights (case-sensitive)
 * @param allowedHeaders Request headers allowed in preflights; * allows any except Authorization, without credentials
 * @param exposedHeaders Response headers exposed to scripts
 * @param allowCredentials Whether cookies and HTTP authentication may be sent (never with * origins)
 * @param maxAge How long browsers may cache a preflight (at most 24 hours; seconds if no unit is given)
 * @param allowPrivateNetwork Whether to allow Private Network Access preflights
 * @param allowInsecureOrigins Whether http:// origins other than loopback may be combined with credentials
 * @param preflightCacheSize Maximum number of preflight decisions memoized server-side
 * @param mappings Named policies by path pattern, tried before the default policy
 */
@ConfigurationProperties("bulwark.cors")
public record CorsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<String> allowedOrigins,
        @Nullable String allowedOriginRegex,
        @DefaultValue({"GET", "HEAD", "POST"}) List<String> allowedMethods,
        @DefaultValue List<String> allowedHeaders,
        @DefaultValue List<String> exposedHeaders,
        @DefaultValue("false") boolean allowCredentials,

        @DefaultValue("86400s") @DurationUnit(ChronoUnit.SECONDS)
        Duration maxAge,

        @DefaultValue("false") boolean allowPrivateNetwork,
        @DefaultValue("false") boolean allowInsecureOrigins,
        @DefaultValue("10000") long preflightCacheSize,
        @DefaultValue Map<String, Mapping> mappings) {

    /**
     * A named CORS mapping ({@code bulwark.cors.mappings.<name>.*}).
     *
     * @param order Position among the mappings: lower is tried first (the first matching mapping wins); give
     *     overlapping mappings distinct values, since map entries from different property sources have no reliable
     *     order of their own
     * @param paths Path patterns this mapping covers, such as /api/**
     * @param allowedOrigins Origins allowed on these paths
     * @param allowedOriginRegex Regular expression matched against the whole origin
     * @param allowedMethods Methods allowed in preflights
     * @param allowedHeaders Request headers allowed in preflights
     * @param exposedHeaders Response headers exposed to scripts
     * @param allowCredentials Whether cookies and HTTP authentication may be sent
     * @param maxAge How long browsers may cache a preflight
     * @param allowPrivateNetwork Whether to allow Private Network Access preflights
     * @param allowInsecureOrigins Whether http:// non-loopback origins may be combined with credentials
     */
    public record Mapping(
            @DefaultValue("0") int order,
            @DefaultValue List<String> paths,
            @DefaultValue List<String> allowedOrigins,
            @Nullable String allowedOriginRegex,
            @DefaultValue({"GET", "HEAD", "POST"}) List<String> allowedMethods,
            @DefaultValue List<String> allowedHeaders,
            @DefaultValue List<String> exposedHeaders,
            @DefaultValue("false") boolean allowCredentials,

            @DefaultValue("86400s") @DurationUnit(ChronoUnit.SECONDS)
            Duration maxAge,

            @DefaultValue("false") boolean allowPrivateNetwork,
            @DefaultValue("false") boolean allowInsecureOrigins) {}
}
