package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.Rejection;
import dev.bulwark.core.metrics.RequestMetrics;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.RequestMetricsFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class BulwarkMetricsAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    BulwarkClientAutoConfiguration.class,
                    BulwarkLimitsAutoConfiguration.class,
                    BulwarkMetricsAutoConfiguration.class));

    @Test
    void requestsAreRecordedInTheContextsRegistryWithTheSeedsBucketsAndTheSpringRoute() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            FilterRegistrationBean<?> registration =
                    context.getBean("bulwarkRequestMetricsFilter", FilterRegistrationBean.class);
            assertThat(registration.getOrder())
                    .isEqualTo(FilterOrder.REQUEST_METRICS)
                    .isLessThan(FilterOrder.ACCESS_LOG);
            RequestMetricsFilter filter = (RequestMetricsFilter) registration.getFilter();

            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/items/42");
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter.doFilter(
                    request,
                    response,
                    (req, res) -> req.setAttribute(RequestMetricsFilter.BEST_MATCHING_PATTERN, "/api/items/{id}"));

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Timer timer = registry.get("bulwark.http.server.requests")
                    .tags("method", "GET", "status", "2xx", "route", "/api/items/{id}")
                    .timer();
            assertThat(timer.count()).isEqualTo(1);
            assertThat(Arrays.stream(timer.takeSnapshot().histogramCounts()).map(b -> b.bucket(TimeUnit.SECONDS)))
                    .containsExactly(0.1, 0.3, 1.2, 5.0);
            assertThat(registry.get("bulwark.http.server.requests.active")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(registry.get("bulwark.rejections")
                            .tags("capability", "limits", "reason", "body_too_large")
                            .counter()
                            .count())
                    .isZero();
            assertThat(context.getBean(RequestMetricsBinder.class).metrics().slos())
                    .isEqualTo(RequestMetrics.DEFAULT_SLOS);
        });
    }

    @Test
    void bucketsRoutePatternsAndTheConcurrencyLimiterAreBound() {
        runner.withUserConfiguration(Registry.class)
                .withPropertyValues(
                        "bulwark.metrics.slo=50ms,2s",
                        "bulwark.metrics.route-patterns=/files/*",
                        "bulwark.limits.concurrency.max-concurrent=3")
                .run(context -> {
                    RequestMetricsBinder binder = context.getBean(RequestMetricsBinder.class);
                    assertThat(binder.metrics().slos()).containsExactly(Duration.ofMillis(50), Duration.ofSeconds(2));
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("bulwark.overload.in.flight")
                                    .gauge()
                                    .value())
                            .isZero();
                    binder.onCompleted("POST", 413, "/files/*", 5, Rejection.of("limits", "body_too_large"));
                    assertThat(registry.get("bulwark.rejections")
                                    .tags("capability", "limits", "reason", "body_too_large")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                    CountAtBucket[] buckets = registry.get("bulwark.http.server.requests")
                            .tag("route", "/files/*")
                            .timer()
                            .takeSnapshot()
                            .histogramCounts();
                    assertThat(buckets).hasSize(2);

                    RequestMetricsFilter filter = (RequestMetricsFilter)
                            context.getBean("bulwarkRequestMetricsFilter", FilterRegistrationBean.class)
                                    .getFilter();
                    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/files/123");
                    request.setServletPath("/files/123");
                    filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
                    assertThat(registry.get("bulwark.http.server.requests")
                                    .tags("method", "GET", "route", "/files/*")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                });
    }

    @Test
    void withoutARegistryNothingIsRecordedAndNothingFails() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            RequestMetricsBinder binder = context.getBean(RequestMetricsBinder.class);
            binder.onStarted();
            binder.onCompleted("GET", 200, "/", 1, null);
            assertThat(binder.metrics()).isNull();
        });
    }

    @Test
    void worksWithoutMicrometerAndCanBeSwitchedOff() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(RequestMetricsBinder.class);
            assertThat(context).doesNotHaveBean("bulwarkRequestMetricsFilter");
        });
        runner.withUserConfiguration(Registry.class)
                .withPropertyValues("bulwark.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("bulwarkRequestMetricsFilter"));
        runner.withPropertyValues("bulwark.metrics.slo=0s").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("invalid value for bulwark.metrics.slo"));
        runner.withPropertyValues("bulwark.metrics.route-patterns=files").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("invalid value for bulwark.metrics.route-patterns"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
