package dev.bulwark.spring;

import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.StartupGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Runs the startup gate ({@code bulwark.health.startup-gate.*}) before the application's data source is first used,
 * so before Flyway, Liquibase or SQL initialization, which all depend on the {@link DataSource} bean:
 *
 * <ol>
 *   <li>before the first {@code DataSource} bean is instantiated: the probes declared under {@code
 *       bulwark.health.probes} that the gate waits for (such as {@code tcp} to the database's host and port);
 *   <li>once a {@code DataSource} bean is initialized, before any other bean gets it: that data source's own probe
 *       ({@code db}), if the gate waits for it;
 *   <li>once every singleton exists, before the web server starts: the remaining names (Redis, {@code HealthProbe}
 *       beans), checked through the {@link HealthRegistry} bean.
 * </ol>
 *
 * <p>An application without a data source goes through step 3 only. Properties are bound from the environment on first
 * use, as a bean post-processor must not depend on configuration-properties beans. A dependency that stays down fails
 * startup with {@link dev.bulwark.core.health.StartupGateException} naming it. Used on the thread creating the context;
 * safe for concurrent use.
 */
final class StartupGatePostProcessor
        implements InstantiationAwareBeanPostProcessor,
                BeanFactoryAware,
                EnvironmentAware,
                SmartInitializingSingleton,
                Ordered {

    private static final String G = "bulwark.health.startup-gate.";

    private @Nullable ListableBeanFactory beans;
    private @Nullable Environment environment;

    // guarded by this
    private @Nullable HealthProperties properties;
    private final List<String> pending = new ArrayList<>();
    private boolean declaredAwaited;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beans = beanFactory instanceof ListableBeanFactory listable ? listable : null;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public @Nullable Object postProcessBeforeInstantiation(Class<?> beanClass, String beanName) throws BeansException {
        if (DataSource.class.isAssignableFrom(beanClass)) {
            awaitDeclared();
        }
        return null;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof DataSource dataSource) {
            awaitDeclared();
            awaitDataSource(dataSource, beanName);
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        awaitDeclared();
        List<String> rest;
        synchronized (this) {
            rest = List.copyOf(pending);
            pending.clear();
        }
        if (rest.isEmpty() || beans == null) {
            return;
        }
        HealthRegistry registry = beans.getBeanProvider(HealthRegistry.class).getIfUnique();
        if (registry == null) {
            return;
        }
        await(registry, rest);
    }

    /** Binds the properties once; returns them, or null when the gate is off. */
    private synchronized @Nullable HealthProperties properties() {
        if (properties == null && environment != null) {
            HealthProperties bound = Props.bind("bulwark.health", "", () -> Binder.get(environment)
                    .bindOrCreate("bulwark.health", Bindable.of(HealthProperties.class)));
            properties = bound;
            if (bound.enabled()) {
                for (String name : bound.startupGate().waitFor()) {
                    String n = name.strip();
                    if (!n.isEmpty() && !pending.contains(n)) {
                        pending.add(n);
                    }
                }
            }
        }
        return properties;
    }

    /** Awaits the declared probes the gate waits for, once. */
    private void awaitDeclared() {
        List<HealthProbe> probes = new ArrayList<>();
        synchronized (this) {
            HealthProperties props = properties();
            if (declaredAwaited || props == null) {
                return;
            }
            declaredAwaited = true;
            Map<String, HealthProperties.Probe> specs = props.probes();
            for (String name : List.copyOf(pending)) {
                HealthProperties.Probe spec = specs.get(name);
                if (spec != null) {
                    probes.add(HealthAutoProbes.declared(name, spec));
                    pending.remove(name);
                }
            }
        }
        awaitStandalone(probes);
    }

    /** Awaits a data source's own probe, when the gate waits for it. */
    private void awaitDataSource(DataSource dataSource, String beanName) {
        HealthProbe probe;
        synchronized (this) {
            HealthProperties props = properties();
            if (props == null || !props.datasource().enabled() || pending.isEmpty() || beans == null) {
                return;
            }
            String name =
                    HealthAutoProbes.dataSourceProbeName(beanName, HealthAutoProbes.dataSourceNames(beans).length);
            if (!pending.remove(name)) {
                return;
            }
            probe = HealthAutoProbes.dataSource(name, dataSource, props.datasource());
        }
        awaitStandalone(List.of(probe));
    }

    private void awaitStandalone(List<HealthProbe> probes) {
        if (probes.isEmpty()) {
            return;
        }
        try (HealthRegistry registry = HealthRegistry.builder().probes(probes).build()) {
            await(registry, probes.stream().map(HealthProbe::name).toList());
        }
    }

    private void await(HealthRegistry registry, List<String> names) {
        HealthProperties props = properties();
        if (props == null) {
            return;
        }
        HealthProperties.Gate gate = props.startupGate();
        StartupGate.Builder builder = StartupGate.builder(registry);
        Props.apply(G + "wait-for", String.join(",", names), () -> builder.waitFor(names.toArray(String[]::new)));
        Props.apply(G + "initial-delay", gate.initialDelay(), () -> builder.initialDelay(gate.initialDelay()));
        Props.apply(G + "multiplier", gate.multiplier(), () -> builder.multiplier(gate.multiplier()));
        Props.apply(G + "max-delay", gate.maxDelay(), () -> builder.maxDelay(gate.maxDelay()));
        Props.apply(G + "max-attempts", gate.maxAttempts(), () -> builder.maxAttempts(gate.maxAttempts()));
        Props.apply(G + "deadline", gate.deadline(), () -> builder.deadline(gate.deadline()));
        Props.bind(G + "max-delay", gate.maxDelay(), builder::build).await();
    }
}
