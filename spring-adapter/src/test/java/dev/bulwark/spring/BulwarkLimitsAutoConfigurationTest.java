package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.OverloadProtectionFilter;
import dev.bulwark.servlet.RequestLimitsFilter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BulwarkLimitsAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(BulwarkClientAutoConfiguration.class, BulwarkLimitsAutoConfiguration.class));

    @Test
    void defaultsMatchCoreAndInstallTheLimitsAndSlowRequestFilters() {
        runner.run(context -> {
            RequestLimits limits = context.getBean(RequestLimits.class);
            assertThat(limits).hasToString(RequestLimits.defaults().toString());
            assertThat(limits.maxBodySize()).isEqualTo(RequestLimits.DEFAULT_MAX_BODY_SIZE);
            assertThat(limits.maxHeaderSize()).isEqualTo(RequestLimits.DEFAULT_MAX_HEADER_SIZE);
            assertThat(context).doesNotHaveBean(ConcurrencyLimiter.class);

            FilterRegistrationBean<?> limitsFilter =
                    context.getBean("bulwarkRequestLimitsFilter", FilterRegistrationBean.class);
            assertThat(limitsFilter.getFilter()).isInstanceOf(RequestLimitsFilter.class);
            assertThat(limitsFilter.getOrder())
                    .isEqualTo(FilterOrder.REQUEST_LIMITS)
                    .isGreaterThan(FilterOrder.CORS)
                    .isLessThan(FilterOrder.SPRING_SECURITY);
            FilterRegistrationBean<?> overload = context.getBean("bulwarkOverloadFilter", FilterRegistrationBean.class);
            OverloadProtectionFilter filter = (OverloadProtectionFilter) overload.getFilter();
            assertThat(filter.limiter()).isNull();
            assertThat(filter.slowRequestThreshold())
                    .isEqualTo(OverloadProtectionFilter.DEFAULT_SLOW_REQUEST_THRESHOLD)
                    .isEqualTo(Duration.ofSeconds(120));
            assertThat(overload.getOrder()).isEqualTo(FilterOrder.OVERLOAD).isLessThan(FilterOrder.SPRING_SECURITY);
            assertThat(context).hasSingleBean(OverloadStartupLog.class);
        });
    }

    @Test
    void everyPropertyIsBound() {
        runner.withPropertyValues(
                        "bulwark.limits.max-body-size=2MB",
                        "bulwark.limits.body-size-overrides[0].path=/api/uploads/**",
                        "bulwark.limits.body-size-overrides[0].max-size=100MB",
                        "bulwark.limits.body-size-overrides[1].path=/api/ping",
                        "bulwark.limits.body-size-overrides[1].max-size=0",
                        "bulwark.limits.max-form-fields=200",
                        "bulwark.limits.max-multipart-parts=5",
                        "bulwark.limits.max-url-length=4096",
                        "bulwark.limits.max-header-count=50",
                        "bulwark.limits.max-header-size=8KB",
                        "bulwark.limits.concurrency.max-concurrent=20",
                        "bulwark.limits.concurrency.max-queue=40",
                        "bulwark.limits.concurrency.queue-timeout=250ms",
                        "bulwark.limits.concurrency.retry-after=3s",
                        "bulwark.limits.concurrency.exempt-paths=/metrics",
                        "bulwark.limits.slow-request.threshold=30s")
                .run(context -> {
                    RequestLimits limits = context.getBean(RequestLimits.class);
                    assertThat(limits.maxBodySize()).isEqualTo(2 * 1024 * 1024);
                    assertThat(limits.bodySizeOverrides())
                            .containsExactly(
                                    Map.entry("/api/uploads/**", 100L * 1024 * 1024), Map.entry("/api/ping", 0L));
                    assertThat(limits.maxFormFields()).isEqualTo(200);
                    assertThat(limits.maxMultipartParts()).isEqualTo(5);
                    assertThat(limits.maxUrlLength()).isEqualTo(4096);
                    assertThat(limits.maxHeaderCount()).isEqualTo(50);
                    assertThat(limits.maxHeaderSize()).isEqualTo(8192);

                    ConcurrencyLimiter limiter = context.getBean(ConcurrencyLimiter.class);
                    assertThat(limiter.maxConcurrent()).isEqualTo(20);
                    assertThat(limiter.maxQueue()).isEqualTo(40);
                    assertThat(limiter.queueTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(limiter.retryAfterSeconds()).isEqualTo(3);
                    assertThat(limiter.isExempt("/metrics")).isTrue();
                    assertThat(limiter.isExempt("/actuator/health/liveness")).isTrue();

                    OverloadProtectionFilter filter = (OverloadProtectionFilter)
                            context.getBean("bulwarkOverloadFilter", FilterRegistrationBean.class)
                                    .getFilter();
                    assertThat(filter.limiter()).isSameAs(limiter);
                    assertThat(filter.slowRequestThreshold()).isEqualTo(Duration.ofSeconds(30));
                });
    }

    @Test
    void concurrencyDefaultsMatchCore() {
        runner.withPropertyValues("bulwark.limits.concurrency.max-concurrent=7").run(context -> {
            ConcurrencyLimiter limiter = context.getBean(ConcurrencyLimiter.class);
            ConcurrencyLimiter core =
                    ConcurrencyLimiter.builder().maxConcurrent(7).build();
            assertThat(limiter.maxQueue()).isEqualTo(core.maxQueue()).isEqualTo(ConcurrencyLimiter.DEFAULT_MAX_QUEUE);
            assertThat(limiter.queueTimeout()).isEqualTo(core.queueTimeout());
            assertThat(limiter.retryAfter()).isEqualTo(core.retryAfter());
            assertThat(limiter.exemptPaths()).isEqualTo(core.exemptPaths());
        });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bulwark.limits.max-body-size=-1MB | bulwark.limits.max-body-size",
                "bulwark.limits.body-size-overrides[0].path=uploads;bulwark.limits.body-size-overrides[0].max-size=1MB"
                        + " | bulwark.limits.body-size-overrides[0].path",
                "bulwark.limits.body-size-overrides[0].path=/a;bulwark.limits.body-size-overrides[0].max-size=-1MB"
                        + " | bulwark.limits.body-size-overrides[0].max-size",
                "bulwark.limits.body-size-overrides[0].max-size=5MB | bulwark.limits.body-size-overrides[0].path",
                "bulwark.limits.body-size-overrides[0].path=/a | bulwark.limits.body-size-overrides[0].max-size",
                "bulwark.limits.max-form-fields=-1 | bulwark.limits.max-form-fields",
                "bulwark.limits.max-multipart-parts=-2 | bulwark.limits.max-multipart-parts",
                "bulwark.limits.max-url-length=0 | bulwark.limits.max-url-length",
                "bulwark.limits.max-header-count=0 | bulwark.limits.max-header-count",
                "bulwark.limits.max-header-size=0 | bulwark.limits.max-header-size",
                "bulwark.limits.concurrency.max-concurrent=0 | bulwark.limits.concurrency.max-concurrent",
                "bulwark.limits.concurrency.max-queue=-1 | bulwark.limits.concurrency.max-queue",
                "bulwark.limits.concurrency.queue-timeout=-1s | bulwark.limits.concurrency.queue-timeout",
                "bulwark.limits.slow-request.threshold=0s | bulwark.limits.slow-request.threshold",
            })
    void invalidValuesFailStartupNamingTheProperty(String property, String name) {
        runner.withPropertyValues("bulwark.limits.concurrency.max-concurrent=5")
                .withPropertyValues(property.split(";"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    while (failure != null && !(failure instanceof InvalidBulwarkPropertyException)) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).isInstanceOf(InvalidBulwarkPropertyException.class);
                    assertThat(((InvalidBulwarkPropertyException) failure).property())
                            .isEqualTo(name);
                });
    }

    @Test
    void userBeansReplaceOursCustomizersApplyAndEverythingCanBeSwitchedOff() {
        runner.withUserConfiguration(UserBeans.class)
                .withPropertyValues("bulwark.limits.concurrency.max-concurrent=5")
                .run(context -> {
                    assertThat(context.getBean(RequestLimits.class)).isSameAs(UserBeans.LIMITS);
                    assertThat(context.getBean(ConcurrencyLimiter.class)).isSameAs(UserBeans.LIMITER);
                });
        runner.withUserConfiguration(Customized.class)
                .run(context -> assertThat(context.getBean(RequestLimits.class).bodySizeOverrides())
                        .containsEntry("/custom/**", 1L));
        runner.withPropertyValues(
                        "bulwark.limits.slow-request.enabled=false",
                        "bulwark.limits.concurrency.enabled=false",
                        "bulwark.limits.concurrency.max-concurrent=5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ConcurrencyLimiter.class);
                    assertThat(context).doesNotHaveBean("bulwarkOverloadFilter");
                    assertThat(context).hasBean("bulwarkRequestLimitsFilter");
                });
        runner.withPropertyValues("bulwark.limits.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RequestLimits.class);
            assertThat(context).doesNotHaveBean("bulwarkRequestLimitsFilter");
            assertThat(context).doesNotHaveBean("bulwarkOverloadFilter");
        });
    }

    @Test
    void theStartupLogFindsTheThreadPoolOfTomcatAndJettyByMethodName() {
        assertThat(OverloadStartupLog.threads(new FakeJettyWebServer())).isEqualTo(42);
        assertThat(OverloadStartupLog.threads(new Object())).isEqualTo(-1);
    }

    /** Looks like Spring Boot's JettyWebServer: getServer().getThreadPool().getMaxThreads(). */
    public static final class FakeJettyWebServer {
        public Object getServer() {
            return new FakeServer();
        }
    }

    public static final class FakeServer {
        public Object getThreadPool() {
            return new FakePool();
        }
    }

    public static final class FakePool {
        public int getMaxThreads() {
            return 42;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        static final RequestLimits LIMITS =
                RequestLimits.builder().maxBodySize(1).build();
        static final ConcurrencyLimiter LIMITER =
                ConcurrencyLimiter.builder().maxConcurrent(1).build();

        @Bean
        RequestLimits myLimits() {
            return LIMITS;
        }

        @Bean
        ConcurrencyLimiter myLimiter() {
            return LIMITER;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customized {
        @Bean
        RequestLimitsCustomizer customPath() {
            return builder -> builder.maxBodySize("/custom/**", 1);
        }
    }
}
