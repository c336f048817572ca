package dev.bulwark.spring;

import dev.bulwark.core.metrics.RateLimitMetrics;
import dev.bulwark.core.ratelimit.RateLimitListener;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds the rate limiter to the context's {@link MeterRegistry} once every singleton exists, whatever the order of
 * auto-configurations: until then (and for ever, when the application has no registry) decisions are not counted.
 * Safe for concurrent use.
 */
final class RateLimitMetricsBinder implements RateLimitListener, SmartInitializingSingleton {

    private final ObjectProvider<MeterRegistry> registries;
    private final ObjectProvider<RateLimiter> limiters;
    private volatile RateLimitListener delegate = RateLimitListener.noop();

    RateLimitMetricsBinder(ObjectProvider<MeterRegistry> registries, ObjectProvider<RateLimiter> limiters) {
        this.registries = registries;
        this.limiters = limiters;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = registries.getIfUnique();
        RateLimiter limiter = limiters.getIfUnique();
        if (registry != null && limiter != null) {
            RateLimitMetrics metrics = new RateLimitMetrics(registry);
            metrics.monitor(limiter);
            delegate = metrics;
        }
    }

    @Override
    public void onAllowed(RateLimitPolicy policy, long cost) {
        delegate.onAllowed(policy, cost);
    }

    @Override
    public void onRejected(RateLimitPolicy policy, long waitNanos, boolean dryRun) {
        delegate.onRejected(policy, waitNanos, dryRun);
    }
}
