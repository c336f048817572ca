package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.readiness.ReadinessCheck;
import dev.bulwark.core.readiness.ReadinessFailedException;
import dev.bulwark.core.readiness.ReadinessFinding;
import dev.bulwark.core.readiness.ReadinessLevel;
import dev.bulwark.core.readiness.ReadinessReport;
import dev.bulwark.core.readiness.RuntimeFindings;
import dev.bulwark.core.secrets.KeyRing;
import dev.bulwark.core.secrets.LoadedSecretKey;
import dev.bulwark.core.secrets.SecretKey;
import dev.bulwark.core.secrets.SecretKeySource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BulwarkReadinessAutoConfigurationTest {

    private static final String STRONG = new String(SecretKey.generate().bytes(), StandardCharsets.UTF_8);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    BulwarkClientAutoConfiguration.class,
                    BulwarkHttpsAutoConfiguration.class,
                    BulwarkHeadersAutoConfiguration.class,
                    BulwarkCookiesAutoConfiguration.class,
                    BulwarkCorsAutoConfiguration.class,
                    BulwarkRateLimitAutoConfiguration.class,
                    BulwarkLimitsAutoConfiguration.class,
                    BulwarkHealthAutoConfiguration.class,
                    BulwarkSecretsAutoConfiguration.class,
                    BulwarkReadinessAutoConfiguration.class));

    /** Production-ready settings: the example app's production profile, in properties. */
    private static final String[] PRODUCTION = {
        "bulwark.secret-key=" + STRONG,
        "bulwark.https.redirect=true",
        "bulwark.rate-limit.anonymous=1000/hour",
        "bulwark.rate-limit.authenticated=5000/hour",
        "bulwark.headers.content-security-policy=default-src 'self'; frame-ancestors 'none'"
    };

    private static WebApplicationContextRunner prod(WebApplicationContextRunner runner) {
        return runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"));
    }

    private static Throwable readinessFailure(
            org.springframework.boot.test.context.assertj.AssertableWebApplicationContext context) {
        Throwable failure = context.getStartupFailure();
        while (failure != null && !(failure instanceof ReadinessFailedException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("startup failure caused by the readiness report").isNotNull();
        return failure;
    }

    private static ReadinessReport report(ConfigurableApplicationContext context) {
        return context.getBean(ReadinessReporter.class).report();
    }

    @Test
    void outsideProductionTheReportIsLoggedButNeverFailsStartup() {
        runner.withPropertyValues("bulwark.secret-key=change-me").run(context -> {
            assertThat(context).hasNotFailed();
            ReadinessReporter reporter = context.getBean(ReadinessReporter.class);
            assertThat(reporter.production()).isFalse();
            assertThat(reporter.failOn()).isNull();
            assertThat(report(context).findings())
                    .extracting(ReadinessFinding::id)
                    .contains("BW-S003", "BW-R001", "BW-T001");
        });
    }

    @Test
    void underAProductionProfileAnErrorAbortsStartup() {
        prod(runner)
                .withPropertyValues("bulwark.secret-key=insecure-k3y-for-demo-only")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(readinessFailure(context))
                            .hasMessageContaining("BW-S003 [error]")
                            .hasMessageNotContaining("k3y-for-demo");
                });
    }

    @Test
    void productionReadySettingsPassEvenAtWarningLevel() {
        prod(runner)
                .withPropertyValues(PRODUCTION)
                .withPropertyValues("bulwark.readiness.fail-on=warning")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(report(context).reaches(ReadinessLevel.WARNING)).isFalse();
                });
    }

    @Test
    void warningsFailWhenAskedAndSilencedIdsDoNot() {
        runner.withPropertyValues(PRODUCTION)
                .withPropertyValues("bulwark.readiness.fail-on=warning", "bulwark.rate-limit.dry-run=true")
                .run(context -> assertThat(readinessFailure(context)).hasMessageContaining("BW-R002 [warning]"));
        runner.withPropertyValues(PRODUCTION)
                .withPropertyValues(
                        "bulwark.readiness.fail-on=warning",
                        "bulwark.rate-limit.dry-run=true",
                        "bulwark.readiness.silenced=BW-R002")
                .run(context -> assertThat(context).hasNotFailed());
        prod(runner)
                .withPropertyValues("bulwark.secret-key=change-me", "bulwark.readiness.fail-on=never")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void invalidSettingsNameTheProperty() {
        for (String value : List.of("info", "sometimes")) {
            runner.withPropertyValues("bulwark.readiness.fail-on=" + value).run(context -> {
                Throwable failure = context.getStartupFailure();
                while (failure != null && !(failure instanceof InvalidBulwarkPropertyException)) {
                    failure = failure.getCause();
                }
                assertThat(failure).isInstanceOf(InvalidBulwarkPropertyException.class);
                assertThat(((InvalidBulwarkPropertyException) failure).property())
                        .isEqualTo("bulwark.readiness.fail-on");
            });
        }
        runner.withPropertyValues("bulwark.readiness.silenced=H001")
                .run(context ->
                        assertThat(context.getStartupFailure()).hasStackTraceContaining("bulwark.readiness.silenced"));
    }

    @Test
    void secretKeyComesFromThePropertyOrTheEnvironmentWithFallbacks() {
        runner.withPropertyValues("bulwark.secret-key=" + STRONG, "bulwark.secret-key-fallbacks=old-one,old-two")
                .run(context -> {
                    LoadedSecretKey loaded = context.getBean(LoadedSecretKey.class);
                    assertThat(loaded.source()).isEqualTo(SecretKeySource.PROPERTY);
                    KeyRing ring = context.getBean(KeyRing.class);
                    assertThat(ring.current().fingerprint())
                            .isEqualTo(SecretKey.of(STRONG).fingerprint());
                    assertThat(ring.fallbacks()).hasSize(2);
                    assertThat(report(context).findings())
                            .extracting(ReadinessFinding::id)
                            .contains("BW-S004")
                            .doesNotContain("BW-S001", "BW-S002");
                    assertThat(context.getBean(SecretKeyProperties.class).toString())
                            .doesNotContain(STRONG);
                });
        runner.withPropertyValues("BULWARK_SECRET_KEY=" + STRONG).run(context -> assertThat(
                        context.getBean(LoadedSecretKey.class).source())
                .isEqualTo(SecretKeySource.ENVIRONMENT));
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(KeyRing.class);
            assertThat(report(context).findings())
                    .extracting(ReadinessFinding::id)
                    .contains("BW-S001");
        });
    }

    @Test
    void checkBeansAndRuntimeFindingsJoinTheReport() {
        runner.withUserConfiguration(CustomCheck.class).run(context -> {
            context.getBean(RuntimeFindings.class)
                    .report(ReadinessFinding.warning("BW-P002", "forwarded headers seen", "trust the proxy"));
            assertThat(report(context).findings())
                    .extracting(ReadinessFinding::id)
                    .contains("BW-Z001", "BW-P002");
        });
    }

    @Test
    void endpointServesReportAndMaskedConfiguration() {
        runner.withPropertyValues(
                        "bulwark.secret-key=" + STRONG,
                        "bulwark.secret-key-fallbacks=" + STRONG + "x",
                        "bulwark.rate-limit.anonymous=10/s",
                        "bulwark.rate-limit.redis.uri=redis://user:hunter2@redis.internal:6379")
                .run(context -> {
                    Map<String, Object> body = context.getBean(BulwarkReadinessAutoConfiguration.BulwarkEndpoint.class)
                            .report();
                    assertThat(body).containsKeys("status", "failOn", "findings", "configuration");
                    @SuppressWarnings("unchecked")
                    Map<String, String> configuration = (Map<String, String>) body.get("configuration");
                    assertThat(configuration)
                            .containsEntry("bulwark.secret-key", "******")
                            .containsEntry("bulwark.secret-key-fallbacks", "******")
                            .containsEntry("bulwark.rate-limit.anonymous", "10/s")
                            .containsEntry("bulwark.rate-limit.redis.uri", "redis://user:******@redis.internal:6379");
                    assertThat(body.toString()).doesNotContain(STRONG).doesNotContain("hunter2");
                });
    }

    @Test
    void reportAndExitPrintsTheReportAndExitsWithItsVerdict() {
        runner.withPropertyValues(
                        "bulwark.readiness.report-and-exit=true", "bulwark.secret-key=insecure-k3y-for-demo-only")
                .run(context -> {
                    ReadinessReporter reporter = context.getBean(ReadinessReporter.class);
                    AtomicInteger status = new AtomicInteger(-1);
                    reporter.exitWith(status::set);
                    PrintStream original = System.out;
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                    try {
                        reporter.onApplicationEvent(new ApplicationReadyEvent(
                                new SpringApplication(), new String[0], context, Duration.ZERO));
                    } finally {
                        System.setOut(original);
                    }
                    String printed = out.toString(StandardCharsets.UTF_8);
                    assertThat(printed)
                            .contains("Bulwark production readiness:")
                            .contains("BW-S003")
                            .contains("bulwark.secret-key = ******")
                            .doesNotContain("k3y-for-demo");
                    assertThat(status).hasValue(1);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomCheck {
        @Bean
        ReadinessCheck customCheck() {
            return context -> List.of(ReadinessFinding.info("BW-Z001", "custom", "none"));
        }
    }
}
