package dev.bulwark.spring;

import dev.bulwark.core.health.HealthRegistry;

/**
 * Customizes the {@link HealthRegistry} Bulwark builds from {@code bulwark.health.*}, after the properties, the
 * automatic probes and the application's {@link dev.bulwark.core.health.HealthProbe} beans have been applied; for
 * example to add a probe that needs other beans, or to set a {@link dev.bulwark.core.TimeSource}.
 *
 * <p>Called once, on the thread creating the context, in {@link org.springframework.core.Ordered order}.
 * Implementations need not be thread-safe.
 */
@FunctionalInterface
public interface HealthRegistryCustomizer {

    /** Customizes the builder. */
    void customize(HealthRegistry.Builder builder);
}
