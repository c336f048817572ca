package dev.bulwark.spring;

import dev.bulwark.core.PathPattern;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.RequestMetricsFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Request metrics from {@code bulwark.metrics.*}, when Micrometer is on the classpath: the {@link RequestMetricsFilter}
 * right after client identity ({@link FilterOrder#REQUEST_METRICS}) reports every request to {@code RequestMetrics}
 * bound to the context's {@link MeterRegistry}: the {@code bulwark.http.server.requests} histogram (the seed's buckets
 * 0.1, 0.3, 1.2 and 5 s) tagged by method, status class and route (Spring MVC's best-matching pattern, never the raw
 * path), the in-flight gauge, {@code bulwark.rejections} by capability and reason, and the concurrency limiter's
 * {@code bulwark.overload.*} meters. Expose them with Actuator, for example at {@code /actuator/prometheus}.
 */
@AutoConfiguration(after = {BulwarkClientAutoConfiguration.class, BulwarkLimitsAutoConfiguration.class})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnProperty(prefix = "bulwark.metrics", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(RequestMetricsProperties.class)
public class BulwarkMetricsAutoConfiguration {

    private static final String P = "bulwark.metrics.";

    @Bean
    @ConditionalOnMissingBean
    RequestMetricsBinder bulwarkRequestMetrics(
            RequestMetricsProperties properties,
            ObjectProvider<MeterRegistry> registries,
            ObjectProvider<ConcurrencyLimiter> limiters) {
        for (Duration slo : properties.slo()) {
            if (slo.isNegative() || slo.isZero()) {
                throw new InvalidBulwarkPropertyException(
                        P + "slo", properties.slo(), "every bucket must be positive", new IllegalArgumentException());
            }
        }
        return new RequestMetricsBinder(registries, limiters, properties.slo());
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(value = RequestMetricsFilter.class, parameterizedContainer = FilterRegistrationBean.class)
    FilterRegistrationBean<RequestMetricsFilter> bulwarkRequestMetricsFilter(
            RequestMetricsProperties properties, RequestMetricsBinder metrics) {
        Props.apply(
                P + "route-patterns", properties.routePatterns(), () -> PathPattern.listOf(properties.routePatterns()));
        FilterRegistrationBean<RequestMetricsFilter> registration =
                new FilterRegistrationBean<>(new RequestMetricsFilter(metrics, properties.routePatterns()));
        registration.setName("bulwarkRequestMetrics");
        registration.setOrder(FilterOrder.REQUEST_METRICS);
        registration.setAsyncSupported(true);
        return registration;
    }
}
