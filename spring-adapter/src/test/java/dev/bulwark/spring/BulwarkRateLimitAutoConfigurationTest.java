package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ratelimit.RateLimitHeaderStyle;
import dev.bulwark.core.ratelimit.RateLimitListener;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.RateLimitFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BulwarkRateLimitAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    BulwarkClientAutoConfiguration.class, BulwarkRateLimitAutoConfiguration.class));

    @Test
    void nothingIsLimitedByDefaultAndDefaultsMatchCore() {
        runner.run(context -> {
            RateLimiter limiter = context.getBean(RateLimiter.class);
            assertThat(limiter.isEmpty()).isTrue();
            RateLimiter core = RateLimiter.builder().build();
            assertThat(limiter.ipv6Prefix()).isEqualTo(core.ipv6Prefix()).isEqualTo(64);
            assertThat(limiter.headerStyle()).isEqualTo(core.headerStyle()).isEqualTo(RateLimitHeaderStyle.IETF);
            assertThat(limiter.dryRun()).isEqualTo(core.dryRun()).isFalse();
            assertThat(limiter.exemptPaths()).isEqualTo(core.exemptPaths());
            assertThat(limiter.rejectionStatus())
                    .isEqualTo(core.rejectionStatus())
                    .isEqualTo(429);
            assertThat(limiter.store().toString())
                    .isEqualTo(core.store().toString())
                    .isEqualTo("BucketStore.local(" + RateLimiter.DEFAULT_MAX_TRACKED_KEYS + ")");
            assertThat(context.getBean("bulwarkRateLimitFilter", FilterRegistrationBean.class)
                            .isEnabled())
                    .isFalse();
            assertThat(context.getBean("bulwarkRateLimitAuthenticatedFilter", FilterRegistrationBean.class)
                            .isEnabled())
                    .isFalse();
        });
    }

    @Test
    void propertiesAreBoundAndFiltersSitAroundSpringSecurity() {
        runner.withPropertyValues(
                        "bulwark.rate-limit.anonymous=1000/hour",
                        "bulwark.rate-limit.authenticated=5000/h",
                        "bulwark.rate-limit.scopes.login.rate=2/min",
                        "bulwark.rate-limit.scopes.login.paths=/login",
                        "bulwark.rate-limit.scopes.login.methods=post",
                        "bulwark.rate-limit.scopes.export.rate=10/min",
                        "bulwark.rate-limit.scopes.export.paths=/api/export/**",
                        "bulwark.rate-limit.scopes.export.key=user",
                        "bulwark.rate-limit.scopes.export.cost=5",
                        "bulwark.rate-limit.ipv6-prefix=56",
                        "bulwark.rate-limit.max-tracked-keys=5000",
                        "bulwark.rate-limit.headers=both",
                        "bulwark.rate-limit.dry-run=true",
                        "bulwark.rate-limit.exempt-paths=/static/**",
                        "bulwark.rate-limit.exempt-addresses=10.0.0.0/8")
                .run(context -> {
                    RateLimiter limiter = context.getBean(RateLimiter.class);
                    assertThat(limiter.policies())
                            .extracting(RateLimitPolicy::toString)
                            .containsExactly(
                                    "RateLimitPolicy[anon [1000/hour], key=ip]",
                                    "RateLimitPolicy[user [5000/hour], key=user]",
                                    "RateLimitPolicy[login [2/minute], key=ip, paths=[/login], methods=[POST]]",
                                    "RateLimitPolicy[export [10/minute], key=user, paths=[/api/export/**], cost=5]");
                    assertThat(limiter.ipv6Prefix()).isEqualTo(56);
                    assertThat(limiter.store().toString()).isEqualTo("BucketStore.local(5000)");
                    assertThat(limiter.headerStyle()).isEqualTo(RateLimitHeaderStyle.BOTH);
                    assertThat(limiter.dryRun()).isTrue();
                    assertThat(limiter.exemptPaths()).hasToString("[/health/**, /actuator/health/**, /static/**]");
                    assertThat(limiter.tryAcquire("login", "alice").allowed()).isTrue();
                    assertThat(limiter.tryAcquire("login", "alice").allowed()).isTrue();
                    assertThat(limiter.tryAcquire("login", "alice").allowed()).isFalse();

                    FilterRegistrationBean<?> before =
                            context.getBean("bulwarkRateLimitFilter", FilterRegistrationBean.class);
                    FilterRegistrationBean<?> after =
                            context.getBean("bulwarkRateLimitAuthenticatedFilter", FilterRegistrationBean.class);
                    assertThat(before.isEnabled()).isTrue();
                    assertThat(before.getOrder())
                            .isEqualTo(FilterOrder.RATE_LIMIT)
                            .isLessThan(FilterOrder.SPRING_SECURITY);
                    assertThat(((RateLimitFilter) before.getFilter()).stage())
                            .isEqualTo(RateLimiter.Stage.BEFORE_AUTHENTICATION);
                    assertThat(after.isEnabled()).isTrue();
                    assertThat(after.getOrder()).isGreaterThan(FilterOrder.SPRING_SECURITY);
                    assertThat(((RateLimitFilter) after.getFilter()).stage())
                            .isEqualTo(RateLimiter.Stage.AFTER_AUTHENTICATION);
                });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bulwark.rate-limit.anonymous=1000/fortnight | bulwark.rate-limit.anonymous",
                "bulwark.rate-limit.authenticated=lots | bulwark.rate-limit.authenticated",
                "bulwark.rate-limit.scopes.login.rate=5/minute;burst=2 | bulwark.rate-limit.scopes.login.rate",
                "bulwark.rate-limit.scopes.login.key=cookie | bulwark.rate-limit.scopes.login.key",
                "bulwark.rate-limit.scopes.login.cost=0 | bulwark.rate-limit.scopes.login.cost",
                "bulwark.rate-limit.scopes.login.cost=50 | bulwark.rate-limit.scopes.login.cost",
                "bulwark.rate-limit.scopes.login.methods=GET POST | bulwark.rate-limit.scopes.login.methods",
                "bulwark.rate-limit.scopes.anon.paths=/x | bulwark.rate-limit.scopes.anon",
                "bulwark.rate-limit.headers=xml | bulwark.rate-limit.headers",
                "bulwark.rate-limit.ipv6-prefix=16 | bulwark.rate-limit.ipv6-prefix",
                "bulwark.rate-limit.max-tracked-keys=0 | bulwark.rate-limit.max-tracked-keys",
                "bulwark.rate-limit.exempt-addresses=office | bulwark.rate-limit.exempt-addresses",
                "bulwark.rate-limit.rejection.status=200 | bulwark.rate-limit.rejection.status",
            })
    void invalidValuesFailStartupNamingTheProperty(String property, String name) {
        runner.withPropertyValues(
                        "bulwark.rate-limit.anonymous=100/min", "bulwark.rate-limit.scopes.login.rate=5/min", property)
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
    void scopeWithoutRateFails() {
        runner.withPropertyValues("bulwark.rate-limit.scopes.login.paths=/login")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("invalid value for bulwark.rate-limit.scopes.login.rate"));
    }

    @Test
    void decisionsAreCountedInTheMeterRegistryAndListenersBeansReceiveThem() {
        runner.withUserConfiguration(Registry.class, Listener.class)
                .withPropertyValues("bulwark.rate-limit.anonymous=1/min")
                .run(context -> {
                    RateLimiter limiter = context.getBean(RateLimiter.class);
                    limiter.tryAcquire("anon", "192.0.2.1");
                    limiter.tryAcquire("anon", "192.0.2.1");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("bulwark.ratelimit.decisions")
                                    .tag("policy", "anon")
                                    .tag("outcome", "rejected")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.get("bulwark.ratelimit.tracked.keys")
                                    .gauge()
                                    .value())
                            .isEqualTo(1);
                    assertThat(Listener.CALLS).hasValueGreaterThanOrEqualTo(2);
                });
    }

    @Test
    void worksWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("bulwark.rate-limit.anonymous=1/min")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(RateLimitMetricsBinder.class);
                    assertThat(context.getBean(RateLimiter.class)
                                    .tryAcquire("anon", "192.0.2.1")
                                    .allowed())
                            .isTrue();
                });
    }

    @Test
    void userBeansReplaceOursAndEverythingCanBeSwitchedOff() {
        runner.withUserConfiguration(UserLimiter.class)
                .withPropertyValues("bulwark.rate-limit.anonymous=1/min")
                .run(context -> assertThat(context.getBean(RateLimiter.class)).isSameAs(UserLimiter.LIMITER));
        runner.withUserConfiguration(Customized.class)
                .run(context -> assertThat(context.getBean(RateLimiter.class).policy("custom"))
                        .isPresent());
        runner.withPropertyValues("bulwark.rate-limit.enabled=false", "bulwark.rate-limit.anonymous=1/min")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(RateLimiter.class);
                    assertThat(context).doesNotHaveBean("bulwarkRateLimitFilter");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Listener {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Bean
        RateLimitListener countingListener() {
            return new RateLimitListener() {
                @Override
                public void onAllowed(RateLimitPolicy policy, long cost) {
                    CALLS.incrementAndGet();
                }

                @Override
                public void onRejected(RateLimitPolicy policy, long waitNanos, boolean dryRun) {
                    CALLS.incrementAndGet();
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserLimiter {
        static final RateLimiter LIMITER = RateLimiter.builder().build();

        @Bean
        RateLimiter myLimiter() {
            return LIMITER;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customized {
        @Bean
        RateLimiterCustomizer addScope() {
            return builder -> builder.scope(RateLimitPolicy.scope("custom").rates("1/s"));
        }
    }
}
