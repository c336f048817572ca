package dev.bulwark.spring;

import dev.bulwark.core.limits.ConcurrencyLimiter;

/**
 * Customizes the {@link ConcurrencyLimiter.Builder} after {@code bulwark.limits.concurrency.*} properties are applied
 * and before the limiter is built. Customizer beans run in {@link org.springframework.core.annotation.Order} order,
 * once, at startup, and only when {@code bulwark.limits.concurrency.max-concurrent} is set.
 */
@FunctionalInterface
public interface ConcurrencyLimiterCustomizer {

    /** Customizes the builder. */
    void customize(ConcurrencyLimiter.Builder builder);
}
