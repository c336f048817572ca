package dev.bulwark.spring;

import dev.bulwark.core.ratelimit.RateLimiter;

/**
 * Customizes the {@link RateLimiter.Builder} after {@code bulwark.rate-limit.*} properties are applied and before the
 * limiter is built, for example to add a scope built in code or to set a shared {@code BucketStore}. Customizer beans
 * run in {@link org.springframework.core.annotation.Order} order, once, at startup.
 */
@FunctionalInterface
public interface RateLimiterCustomizer {

    /** Customizes the builder. */
    void customize(RateLimiter.Builder builder);
}
