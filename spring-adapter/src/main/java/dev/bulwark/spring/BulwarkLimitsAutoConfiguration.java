package dev.bulwark.spring;

import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.OverloadProtectionFilter;
import dev.bulwark.servlet.RequestLimitsFilter;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Request limits and overload protection from {@code bulwark.limits.*}: a {@link RequestLimits} (then {@link
 * RequestLimitsCustomizer} beans) enforced by the {@link RequestLimitsFilter} ({@link FilterOrder#REQUEST_LIMITS}); a
 * {@link ConcurrencyLimiter} once {@code bulwark.limits.concurrency.max-concurrent} is set (then {@link
 * ConcurrencyLimiterCustomizer} beans) and slow-request warnings, both in the {@link OverloadProtectionFilter} ({@link
 * FilterOrder#OVERLOAD}, before Spring Security, so that the limit bounds its work too).
 *
 * <p>Once the application has started, one INFO line gives the web server's request threads (Tomcat and Jetty), the
 * CPU count and the concurrency limit, or, when none is set, the seed's sizing rule as a suggestion. Every bean backs
 * off to the application's own; invalid values fail startup naming the property.
 */
@AutoConfiguration(after = BulwarkClientAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.limits", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(LimitsProperties.class)
public class BulwarkLimitsAutoConfiguration {

    private static final String P = "bulwark.limits.";

    @Bean
    @ConditionalOnMissingBean
    RequestLimits bulwarkRequestLimits(
            LimitsProperties properties, ObjectProvider<RequestLimitsCustomizer> customizers) {
        RequestLimits.Builder builder = RequestLimits.builder();
        Props.apply(
                P + "max-body-size",
                properties.maxBodySize(),
                () -> builder.maxBodySize(properties.maxBodySize().toBytes()));
        List<LimitsProperties.BodySizeOverride> overrides = properties.bodySizeOverrides();
        for (int i = 0; i < overrides.size(); i++) {
            LimitsProperties.BodySizeOverride o = overrides.get(i);
            String prefix = P + "body-size-overrides[" + i + "].";
            if (o.path() == null || o.path().isBlank()) {
                throw missing(prefix + "path", "give the override a path pattern such as /api/uploads/**");
            }
            if (o.maxSize() == null) {
                throw missing(prefix + "max-size", "give the override a size such as 100MB");
            }
            String path = o.path();
            long bytes = o.maxSize().toBytes();
            // a negative size is the size's fault; anything else (an invalid or repeated pattern) the path's
            String property = prefix + (bytes < 0 ? "max-size" : "path");
            Props.apply(property, bytes < 0 ? o.maxSize() : path, () -> builder.maxBodySize(path, bytes));
        }
        Props.apply(
                P + "max-form-fields",
                properties.maxFormFields(),
                () -> builder.maxFormFields(properties.maxFormFields()));
        Props.apply(
                P + "max-multipart-parts",
                properties.maxMultipartParts(),
                () -> builder.maxMultipartParts(properties.maxMultipartParts()));
        Props.apply(
                P + "max-url-length", properties.maxUrlLength(), () -> builder.maxUrlLength(properties.maxUrlLength()));
        Props.apply(
                P + "max-header-count",
                properties.maxHeaderCount(),
                () -> builder.maxHeaderCount(properties.maxHeaderCount()));
        Props.apply(
                P + "max-header-size",
                properties.maxHeaderSize(),
                () -> builder.maxHeaderSize(Math.toIntExact(
                        Math.min(Integer.MAX_VALUE, properties.maxHeaderSize().toBytes()))));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return Props.bind(P + "*", "", builder::build);
    }

    private static InvalidBulwarkPropertyException missing(String property, String fix) {
        return new InvalidBulwarkPropertyException(property, "", "missing; " + fix, new IllegalArgumentException());
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(ConcurrencyLimitCondition.class)
    ConcurrencyLimiter bulwarkConcurrencyLimiter(
            LimitsProperties properties, ObjectProvider<ConcurrencyLimiterCustomizer> customizers) {
        LimitsProperties.Concurrency c = properties.concurrency();
        String prefix = P + "concurrency.";
        ConcurrencyLimiter.Builder builder = ConcurrencyLimiter.builder();
        Integer max = c.maxConcurrent();
        if (max == null) {
            throw missing(prefix + "max-concurrent", "set the most requests in flight, such as 20");
        }
        Props.apply(prefix + "max-concurrent", max, () -> builder.maxConcurrent(max));
        Props.apply(prefix + "max-queue", c.maxQueue(), () -> builder.maxQueue(c.maxQueue()));
        Props.apply(prefix + "queue-timeout", c.queueTimeout(), () -> builder.queueTimeout(c.queueTimeout()));
        Props.apply(prefix + "retry-after", c.retryAfter(), () -> builder.retryAfter(c.retryAfter()));
        Props.apply(prefix + "exempt-paths", c.exemptPaths(), () -> builder.exemptPaths(c.exemptPaths()));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return Props.bind(prefix + "*", "", builder::build);
    }

    /** The filters and the startup sizing log, in servlet web applications. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class FilterConfiguration {

        @Bean
        @ConditionalOnMissingBean(
                value = RequestLimitsFilter.class,
                parameterizedContainer = FilterRegistrationBean.class)
        FilterRegistrationBean<RequestLimitsFilter> bulwarkRequestLimitsFilter(RequestLimits limits) {
            FilterRegistrationBean<RequestLimitsFilter> registration =
                    new FilterRegistrationBean<>(new RequestLimitsFilter(limits));
            registration.setName("bulwarkRequestLimits");
            registration.setOrder(FilterOrder.REQUEST_LIMITS);
            registration.setAsyncSupported(true);
            return registration;
        }

        @Bean
        @Conditional(OverloadProtectionCondition.class)
        @ConditionalOnMissingBean(
                value = OverloadProtectionFilter.class,
                parameterizedContainer = FilterRegistrationBean.class)
        FilterRegistrationBean<OverloadProtectionFilter> bulwarkOverloadFilter(
                LimitsProperties properties, ObjectProvider<ConcurrencyLimiter> limiter) {
            LimitsProperties.SlowRequest slow = properties.slowRequest();
            @Nullable Duration threshold = slow.enabled() ? slow.threshold() : null;
            ConcurrencyLimiter l = limiter.getIfUnique();
            FilterRegistrationBean<OverloadProtectionFilter> registration = new FilterRegistrationBean<>(Props.bind(
                    P + "slow-request.threshold", threshold, () -> new OverloadProtectionFilter(l, threshold)));
            registration.setName("bulwarkOverload");
            registration.setOrder(FilterOrder.OVERLOAD);
            registration.setAsyncSupported(true);
            return registration;
        }

        @Bean
        OverloadStartupLog bulwarkOverloadStartupLog(ObjectProvider<ConcurrencyLimiter> limiter) {
            return new OverloadStartupLog(limiter);
        }
    }

    /** A concurrency limit is configured: {@code max-concurrent} is set and the limit is not switched off. */
    static final class ConcurrencyLimitCondition extends AllNestedConditions {

        ConcurrencyLimitCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "bulwark.limits.concurrency", name = "max-concurrent")
        static final class MaxConcurrent {}

        @ConditionalOnProperty(prefix = "bulwark.limits.concurrency", name = "enabled", matchIfMissing = true)
        static final class Enabled {}
    }

    /** Overload protection has work to do: a concurrency limit is configured, or slow-request warnings are on. */
    static final class OverloadProtectionCondition extends AnyNestedCondition {

        OverloadProtectionCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @Conditional(ConcurrencyLimitCondition.class)
        static final class ConcurrencyLimit {}

        @ConditionalOnProperty(prefix = "bulwark.limits.slow-request", name = "enabled", matchIfMissing = true)
        static final class SlowRequests {}
    }
}
