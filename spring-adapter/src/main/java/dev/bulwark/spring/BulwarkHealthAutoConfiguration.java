package dev.bulwark.spring;

import dev.bulwark.core.health.GracefulShutdown;
import dev.bulwark.core.health.GroupResult;
import dev.bulwark.core.health.HealthListener;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.servlet.FilterOrder;
import dev.bulwark.servlet.HealthFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Health probes, endpoints and graceful drain from {@code bulwark.health.*}:
 *
 * <ul>
 *   <li>a {@link HealthRegistry} with a JDBC probe per {@code DataSource} bean ({@code db}; HikariCP pool saturation
 *       included), a Redis probe when the application has a Redis connection bean ({@code redis}, from {@code
 *       spring.data.redis.*}), the probes declared under {@code bulwark.health.probes}, and the application's {@link
 *       HealthProbe} beans (a bean or a declared probe replaces an automatic probe of the same name), then {@link
 *       HealthRegistryCustomizer} beans; {@link HealthListener} beans receive results;
 *   <li>the {@code bulwarkHealth} {@link HealthFilter} at {@link FilterOrder#HEALTH}, before Spring Security, serving
 *       {@code /health/live}, {@code /health/ready} and {@code /health/started} and counting requests in flight;
 *   <li>the lifecycle: started on {@code ApplicationReadyEvent}; on shutdown readiness flips to 503, the drain delay
 *       passes and in-flight requests finish, before the web server stops ({@link GracefulShutdown});
 *   <li>the startup gate, before the first {@code DataSource} is created ({@code bulwark.health.startup-gate.*});
 *   <li>with Micrometer and a {@code MeterRegistry}: {@code bulwark.health.*} meters;
 *   <li>with Actuator (Spring Boot 4 or 3): a {@code bulwark} entry in {@code /actuator/health} ({@code
 *       management.health.bulwark.enabled=false} turns it off).
 * </ul>
 *
 * <p>Every bean backs off to the application's own; invalid values fail startup naming the property.
 */
@AutoConfiguration(after = BulwarkClientAutoConfiguration.class)
@ConditionalOnProperty(prefix = "bulwark.health", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(HealthProperties.class)
public class BulwarkHealthAutoConfiguration {

    private static final String P = "bulwark.health.";
    private static final Logger log = LoggerFactory.getLogger(BulwarkHealthAutoConfiguration.class);

    @Bean
    static StartupGatePostProcessor bulwarkStartupGate() {
        return new StartupGatePostProcessor();
    }

    @Bean
    @ConditionalOnMissingBean
    HealthRegistry bulwarkHealthRegistry(
            HealthProperties properties,
            ListableBeanFactory beans,
            Environment environment,
            ObjectProvider<HealthProbe> probes,
            ObjectProvider<HealthListener> listeners,
            ObjectProvider<HealthRegistryCustomizer> customizers) {
        HealthRegistry.Builder builder = HealthRegistry.builder();
        Props.apply(P + "cache-ttl", properties.cacheTtl(), () -> builder.cacheTtl(properties.cacheTtl()));
        Props.apply(
                P + "group-deadline",
                properties.groupDeadline(),
                () -> builder.groupDeadline(properties.groupDeadline()));
        Props.apply(
                P + "failure-threshold",
                properties.failureThreshold(),
                () -> builder.failureThreshold(properties.failureThreshold()));
        Props.apply(
                P + "success-threshold",
                properties.successThreshold(),
                () -> builder.successThreshold(properties.successThreshold()));
        Props.apply(
                P + "background-refresh",
                properties.backgroundRefresh(),
                () -> builder.backgroundRefresh(properties.backgroundRefresh()));
        Props.apply(
                P + "staleness-limit",
                properties.stalenessLimit(),
                () -> builder.stalenessLimit(properties.stalenessLimit()));
        Props.apply(P + "max-threads", properties.maxThreads(), () -> builder.maxThreads(properties.maxThreads()));

        // later sources replace earlier ones of the same name: automatic, then declared, then the application's beans
        Map<String, HealthProbe> all = new LinkedHashMap<>();
        HealthAutoProbes.dataSources(beans, properties.datasource()).forEach(p -> all.put(p.name(), p));
        HealthProbe redis = HealthAutoProbes.redis(
                beans, environment, properties.redis(), BulwarkHealthAutoConfiguration.class.getClassLoader());
        if (redis != null) {
            all.put(redis.name(), redis);
        }
        all.putAll(HealthAutoProbes.declared(properties.probes()));
        probes.orderedStream().forEach(p -> all.put(p.name(), p));
        builder.probes(all.values());

        List<HealthListener> listenerBeans = listeners.orderedStream().toList();
        if (!listenerBeans.isEmpty()) {
            builder.listener(listenerBeans.size() == 1 ? listenerBeans.get(0) : new CompositeListener(listenerBeans));
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        HealthRegistry registry = Props.bind(P + "staleness-limit", properties.stalenessLimit(), builder::build);
        log.debug("Bulwark health: {}", registry);
        return registry;
    }

    // no inferred destroy method: Spring would call shutdown() again on close; the lifecycle bean drains once
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    GracefulShutdown bulwarkGracefulShutdown(HealthRegistry registry, HealthProperties properties, Environment env) {
        Duration drainDelay = properties.drainDelay();
        if (drainDelay == null) {
            drainDelay =
                    CloudPlatform.KUBERNETES.isActive(env) ? HealthProperties.KUBERNETES_DRAIN_DELAY : Duration.ZERO;
        }
        Duration delay = drainDelay;
        GracefulShutdown.Builder builder = GracefulShutdown.builder(registry.lifecycle());
        Props.apply(P + "drain-delay", delay, () -> builder.drainDelay(delay));
        Props.apply(
                P + "graceful-timeout",
                properties.gracefulTimeout(),
                () -> builder.gracefulTimeout(properties.gracefulTimeout()));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    HealthLifecycleBridge bulwarkHealthLifecycle(HealthRegistry registry, GracefulShutdown shutdown) {
        return new HealthLifecycleBridge(registry.lifecycle(), shutdown);
    }

    /** The endpoints; backs off when the application registers its own health filter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(value = HealthFilter.class, parameterizedContainer = FilterRegistrationBean.class)
    static class FilterConfiguration {

        @Bean
        FilterRegistrationBean<HealthFilter> bulwarkHealthFilter(HealthRegistry registry, HealthProperties properties) {
            HealthFilter.Builder builder =
                    HealthFilter.builder(registry).format(properties.format()).details(properties.details());
            Props.apply(P + "path", properties.path(), () -> builder.basePath(properties.path()));
            if (!properties.authorizedNetworks().isEmpty()) {
                Props.apply(
                        P + "authorized-networks",
                        properties.authorizedNetworks(),
                        () -> builder.authorizer(HealthFilter.principalPresent()
                                .or(HealthFilter.clientIn(properties.authorizedNetworks()))));
            }
            FilterRegistrationBean<HealthFilter> registration = new FilterRegistrationBean<>(builder.build());
            registration.setName("bulwarkHealth");
            registration.setOrder(FilterOrder.HEALTH);
            registration.setAsyncSupported(true);
            return registration;
        }
    }

    /** Publishes results to Micrometer when it is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        HealthMetricsBinder bulwarkHealthMetrics(
                ObjectProvider<MeterRegistry> registries, ObjectProvider<HealthRegistry> health) {
            return new HealthMetricsBinder(registries, health);
        }
    }

    /** {@code /actuator/health} on Spring Boot 4 ({@code spring-boot-health}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ActuatorHealthIndicator.BOOT_4 + ".HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.bulwark", name = "enabled", matchIfMissing = true)
    @Import(ActuatorHealthIndicator.Boot4Registrar.class)
    static class Boot4ActuatorConfiguration {}

    /** {@code /actuator/health} on Spring Boot 3 ({@code spring-boot-actuator}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ActuatorHealthIndicator.BOOT_3 + ".HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.bulwark", name = "enabled", matchIfMissing = true)
    @Import(ActuatorHealthIndicator.Boot3Registrar.class)
    static class Boot3ActuatorConfiguration {}

    /** Calls several listeners in order. */
    private record CompositeListener(List<HealthListener> listeners) implements HealthListener {
        @Override
        public void onRegistered(Set<String> probes, Set<String> groups) {
            for (HealthListener listener : listeners) {
                listener.onRegistered(probes, groups);
            }
        }

        @Override
        public void onProbeResult(String probe, ProbeResult result) {
            for (HealthListener listener : listeners) {
                listener.onProbeResult(probe, result);
            }
        }

        @Override
        public void onGroupResult(GroupResult result) {
            for (HealthListener listener : listeners) {
                listener.onGroupResult(result);
            }
        }
    }
}
