package dev.bulwark.spring;

import dev.bulwark.core.health.GroupResult;
import dev.bulwark.core.health.HealthListener;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.metrics.HealthMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds health results to the context's {@link MeterRegistry} through {@link HealthMetrics} once every singleton
 * exists, whatever the order of auto-configurations (as {@link RateLimitMetricsBinder} does): until then, and for
 * ever when the application has no registry, results are not published. Safe for concurrent use.
 */
final class HealthMetricsBinder implements HealthListener, SmartInitializingSingleton {

    private final ObjectProvider<MeterRegistry> registries;
    private final ObjectProvider<HealthRegistry> health;
    private volatile HealthListener delegate = HealthListener.noop();

    HealthMetricsBinder(ObjectProvider<MeterRegistry> registries, ObjectProvider<HealthRegistry> health) {
        this.registries = registries;
        this.health = health;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = registries.getIfUnique();
        HealthRegistry probes = health.getIfUnique();
        if (registry != null && probes != null) {
            HealthMetrics metrics = new HealthMetrics(registry);
            Set<String> names = new LinkedHashSet<>();
            probes.probes().stream().map(HealthProbe::name).forEach(names::add);
            metrics.onRegistered(names, probes.groups());
            delegate = metrics;
        }
    }

    @Override
    public void onProbeResult(String probe, ProbeResult result) {
        delegate.onProbeResult(probe, result);
    }

    @Override
    public void onGroupResult(GroupResult result) {
        delegate.onGroupResult(result);
    }
}
