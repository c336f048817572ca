package dev.bulwark.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request metrics ({@code bulwark.metrics.*}), published to the application's Micrometer {@code MeterRegistry}: the
 * bulwark.http.server.requests histogram by method, status class and route pattern, the in-flight gauge, rejections by
 * capability and reason, and the concurrency limiter.
 *
 * @param enabled Whether Bulwark publishes request metrics when Micrometer is present
 * @param slo Buckets of the request duration histogram (the seed's Prometheus buckets)
 * @param routePatterns Path patterns used as the route of requests Spring MVC did not map, such as /files/*; others
 *     are UNKNOWN (raw paths are never used: ids would make the route unbounded)
 */
@ConfigurationProperties("bulwark.metrics")
public record RequestMetricsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({"100ms", "300ms", "1200ms", "5s"}) List<Duration> slo,
        @DefaultValue List<String> routePatterns) {}
