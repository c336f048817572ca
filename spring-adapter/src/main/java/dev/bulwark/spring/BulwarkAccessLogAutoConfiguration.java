package dev.bulwark.spring;

import dev.bulwark.core.accesslog.AccessLog;
import dev.bulwark.core.accesslog.AccessLogSink;
import dev.bulwark.servlet.AccessLogFilter;
import dev.bulwark.servlet.AccessLogUserFilter;
import dev.bulwark.servlet.FilterOrder;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The access log from {@code bulwark.access-log.*}: an {@link AccessLog} (then {@link AccessLogCustomizer} beans)
 * written by the {@link AccessLogFilter} right after client identity ({@link FilterOrder#ACCESS_LOG}), so every
 * request is logged with its resolved client, Bulwark's own rejections included; and the {@link AccessLogUserFilter}
 * after Spring Security ({@link FilterOrder#AFTER_AUTHENTICATION}), so lines carry the authenticated user. Lines go to
 * the SLF4J logger {@code bulwark.access}: route it with the logging configuration (see the example app's
 * {@code logback-spring.xml} for size-and-time rolling files). Every bean backs off to the application's own; an invalid
 * format fails startup naming the property.
 */
@AutoConfiguration(after = BulwarkClientAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.access-log", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(AccessLogProperties.class)
public class BulwarkAccessLogAutoConfiguration {

    private static final String P = "bulwark.access-log.";

    @Bean
    @ConditionalOnMissingBean
    AccessLog bulwarkAccessLog(AccessLogProperties properties, ObjectProvider<AccessLogCustomizer> customizers) {
        AccessLog.Builder builder = AccessLog.builder();
        if (properties.timeZone() != null && !properties.timeZone().isBlank()) {
            String zone = properties.timeZone().trim();
            try {
                builder.zone(ZoneId.of(zone));
            } catch (DateTimeException e) {
                throw new InvalidBulwarkPropertyException(
                        P + "time-zone", zone, "must be a time zone such as UTC or Europe/Paris", e);
            }
        }
        Props.apply(P + "format", properties.format(), () -> builder.format(properties.format()));
        Props.apply(P + "exclude-paths", properties.excludePaths(), () -> builder.clearExcludedPaths()
                .excludePaths(properties.excludePaths()));
        Props.apply(P + "sample-rate", properties.sampleRate(), () -> builder.sampleRate(properties.sampleRate()));
        Props.apply(P + "logger", properties.logger(), () -> {
            if (properties.logger().isBlank()) {
                throw new IllegalArgumentException("must name a logger, such as bulwark.access");
            }
            builder.sink(AccessLogSink.slf4j(properties.logger()));
        });
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /** The filters, in servlet web applications. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class FilterConfiguration {

        @Bean
        @ConditionalOnMissingBean(value = AccessLogFilter.class, parameterizedContainer = FilterRegistrationBean.class)
        FilterRegistrationBean<AccessLogFilter> bulwarkAccessLogFilter(AccessLog accessLog) {
            FilterRegistrationBean<AccessLogFilter> registration =
                    new FilterRegistrationBean<>(new AccessLogFilter(accessLog));
            registration.setName("bulwarkAccessLog");
            registration.setOrder(FilterOrder.ACCESS_LOG);
            registration.setAsyncSupported(true);
            return registration;
        }

        @Bean
        @ConditionalOnMissingBean(
                value = AccessLogUserFilter.class,
                parameterizedContainer = FilterRegistrationBean.class)
        FilterRegistrationBean<AccessLogUserFilter> bulwarkAccessLogUserFilter() {
            FilterRegistrationBean<AccessLogUserFilter> registration =
                    new FilterRegistrationBean<>(new AccessLogUserFilter());
            registration.setName("bulwarkAccessLogUser");
            registration.setOrder(FilterOrder.AFTER_AUTHENTICATION);
            registration.setAsyncSupported(true);
            return registration;
        }
    }
}
