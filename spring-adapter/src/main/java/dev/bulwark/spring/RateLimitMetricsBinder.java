package dev.bulwark.spring;

import dev.bulwark.core.metrics.RateLimitMetrics;
import dev.bulwark.core.metrics.RedisStoreMetrics;
import dev.bulwark.core.ratelimit.RateLimitListener;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.core.ratelimit.redis.RedisBucketStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;

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
            if (ClassUtils.isPresent("io.lettuce.core.RedisClient", RateLimitMetricsBinder.class.getClassLoader())) {
                RedisMetrics.bind(limiter, registry);
            }
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

    /** Separate so that the Redis store's classes (and Lettuce) are only loaded when Lettuce is present. */
    private static final class RedisMetrics {
        static void bind(RateLimiter limiter, MeterRegistry registry) {
            if (limiter.store() instanceof RedisBucketStore redis) {
                new RedisStoreMetrics(redis).bindTo(registry);
            }
        }
    }
}
