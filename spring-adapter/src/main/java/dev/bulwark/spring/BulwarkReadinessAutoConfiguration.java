package dev.bulwark.spring;

import dev.bulwark.core.readiness.Readiness;
import dev.bulwark.core.readiness.ReadinessCheck;
import dev.bulwark.core.readiness.ReadinessFinding;
import dev.bulwark.core.readiness.ReadinessReport;
import dev.bulwark.core.readiness.RuntimeFindings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The production readiness report: runs every built-in {@link ReadinessCheck} plus the application's check beans
 * against the Bulwark beans once the context is built, logs the report, and fails startup at {@code
 * bulwark.readiness.fail-on} (by default {@code error} under a production profile, otherwise never). With Actuator on
 * the classpath the report and the effective configuration (secrets masked) are also served by the {@code bulwark}
 * endpoint ({@code /actuator/bulwark}, once exposed).
 */
@AutoConfiguration(
        after = {
            BulwarkClientAutoConfiguration.class,
            BulwarkHttpsAutoConfiguration.class,
            BulwarkHeadersAutoConfiguration.class,
            BulwarkCookiesAutoConfiguration.class,
            BulwarkCorsAutoConfiguration.class,
            BulwarkRateLimitAutoConfiguration.class,
            BulwarkSecretsAutoConfiguration.class
        })
@ConditionalOnProperty(prefix = "bulwark.readiness", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReadinessProperties.class)
public class BulwarkReadinessAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Readiness bulwarkReadiness(
            ReadinessProperties properties,
            ObjectProvider<ReadinessCheck> checks,
            ObjectProvider<RuntimeFindings> runtime) {
        Readiness.Builder builder = Readiness.builder();
        checks.orderedStream().forEach(builder::check);
        Props.apply("bulwark.readiness.silenced", properties.silenced(), () -> builder.silenced(properties.silenced()));
        runtime.ifUnique(builder::runtime);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    ReadinessReporter bulwarkReadinessReporter(
            Readiness readiness,
            ReadinessProperties properties,
            ConfigurableEnvironment environment,
            ListableBeanFactory beans) {
        return new ReadinessReporter(readiness, properties, environment, beans);
    }

    /** The {@code bulwark} Actuator endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        BulwarkEndpoint bulwarkEndpoint(ReadinessReporter reporter) {
            return new BulwarkEndpoint(reporter);
        }
    }

    /**
     * Serves the readiness report and the effective configuration, secrets masked: {@code GET /actuator/bulwark}.
     * Runs the checks on each read (they are cheap and do no I/O).
     */
    @Endpoint(id = "bulwark")
    public static class BulwarkEndpoint {

        private final ReadinessReporter reporter;

        BulwarkEndpoint(ReadinessReporter reporter) {
            this.reporter = reporter;
        }

        /** Returns the report and the configuration. */
        @ReadOperation
        public Map<String, Object> report() {
            ReadinessReport report = reporter.report();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.highest().map(Object::toString).orElse("clean"));
            body.put(
                    "failOn",
                    reporter.failOn() == null ? "never" : reporter.failOn().toString());
            List<Map<String, String>> findings =
                    report.findings().stream().map(BulwarkEndpoint::toMap).toList();
            body.put("findings", findings);
            body.put("configuration", reporter.configuration());
            return body;
        }

        private static Map<String, String> toMap(ReadinessFinding finding) {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("id", finding.id());
            map.put("level", finding.level().toString());
            map.put("message", finding.message());
            map.put("hint", finding.hint());
            return map;
        }
    }
}
