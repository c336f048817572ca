package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.accesslog.AccessLog;
import dev.bulwark.core.accesslog.AccessLogSink;
import dev.bulwark.servlet.AccessLogFilter;
import dev.bulwark.servlet.AccessLogUserFilter;
import dev.bulwark.servlet.FilterOrder;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BulwarkAccessLogAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    BulwarkClientAutoConfiguration.class, BulwarkAccessLogAutoConfiguration.class));

    @Test
    void defaultsMatchCoreAndTheFiltersSitAroundSpringSecurity() {
        runner.run(context -> {
            AccessLog log = context.getBean(AccessLog.class);
            AccessLog core = AccessLog.defaults();
            assertThat(log.format().name()).isEqualTo(core.format().name()).isEqualTo("combined");
            assertThat(log.excludedPaths()).isEqualTo(core.excludedPaths());
            assertThat(log.sampleRate()).isEqualTo(core.sampleRate());
            assertThat(log.sink()).hasToString(core.sink().toString());
            assertThat(log.format().zone()).isEqualTo(ZoneId.systemDefault());

            FilterRegistrationBean<?> filter = context.getBean("bulwarkAccessLogFilter", FilterRegistrationBean.class);
            assertThat(filter.getFilter()).isInstanceOf(AccessLogFilter.class);
            assertThat(filter.getOrder())
                    .isEqualTo(FilterOrder.ACCESS_LOG)
                    .isGreaterThan(FilterOrder.CLIENT_IDENTITY)
                    .isLessThan(FilterOrder.SECURITY_HEADERS);
            FilterRegistrationBean<?> user =
                    context.getBean("bulwarkAccessLogUserFilter", FilterRegistrationBean.class);
            assertThat(user.getFilter()).isInstanceOf(AccessLogUserFilter.class);
            assertThat(user.getOrder())
                    .isEqualTo(FilterOrder.AFTER_AUTHENTICATION)
                    .isGreaterThan(FilterOrder.SPRING_SECURITY);
        });
    }

    @Test
    void everyPropertyIsBound() {
        runner.withPropertyValues(
                        "bulwark.access-log.format=gunicorn",
                        "bulwark.access-log.exclude-paths=/static/**",
                        "bulwark.access-log.sample-rate=0.25",
                        "bulwark.access-log.time-zone=UTC",
                        "bulwark.access-log.logger=my.access")
                .run(context -> {
                    AccessLog log = context.getBean(AccessLog.class);
                    assertThat(log.format().name()).isEqualTo("gunicorn");
                    assertThat(log.format().zone()).isEqualTo(ZoneId.of("UTC"));
                    assertThat(log.excludedPaths()).hasToString("[/static/**]");
                    assertThat(log.sampleRate()).isEqualTo(0.25);
                    assertThat(log.sink()).hasToString("AccessLogSink.slf4j(my.access)");
                });
        runner.withPropertyValues("bulwark.access-log.format=%(h)s %(s)s %(L)s").run(context -> assertThat(
                        context.getBean(AccessLog.class).format().pattern())
                .isEqualTo("%(h)s %(s)s %(L)s"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bulwark.access-log.format=%(x)s | bulwark.access-log.format",
                "bulwark.access-log.format=apache | bulwark.access-log.format",
                "bulwark.access-log.sample-rate=2 | bulwark.access-log.sample-rate",
                "bulwark.access-log.exclude-paths=health | bulwark.access-log.exclude-paths",
                "bulwark.access-log.time-zone=Mars/Olympus | bulwark.access-log.time-zone",
            })
    void invalidValuesFailStartupNamingTheProperty(String property, String name) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof InvalidBulwarkPropertyException)) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOf(InvalidBulwarkPropertyException.class);
            assertThat(((InvalidBulwarkPropertyException) failure).property()).isEqualTo(name);
        });
    }

    @Test
    void userBeansReplaceOursCustomizersApplyAndItCanBeSwitchedOff() {
        runner.withUserConfiguration(UserLog.class)
                .run(context -> assertThat(context.getBean(AccessLog.class)).isSameAs(UserLog.LOG));
        runner.withUserConfiguration(Customized.class)
                .run(context ->
                        assertThat(context.getBean(AccessLog.class).sink()).isSameAs(Customized.SINK));
        runner.withPropertyValues("bulwark.access-log.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(AccessLog.class);
            assertThat(context).doesNotHaveBean("bulwarkAccessLogFilter");
            assertThat(context).doesNotHaveBean("bulwarkAccessLogUserFilter");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserLog {
        static final AccessLog LOG = AccessLog.builder().format("json").build();

        @Bean
        AccessLog myAccessLog() {
            return LOG;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customized {
        static final AccessLogSink SINK = line -> {};

        @Bean
        AccessLogCustomizer sink() {
            return builder -> builder.sink(SINK);
        }
    }
}
