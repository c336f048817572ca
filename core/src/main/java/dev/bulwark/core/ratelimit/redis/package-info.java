/**
 * A {@link dev.bulwark.core.ratelimit.BucketStore} in Redis, so that every instance of an application enforces one
 * shared limit.
 *
 * <ul>
 *   <li>{@link dev.bulwark.core.ratelimit.redis.RedisBucketStore}: one atomic Lua script per decision (one round trip,
 *       no compare-and-swap retries), Redis's clock, keys that expire once their bucket is full, a per-call timeout and
 *       a circuit breaker; standalone, TLS, Sentinel and Cluster through Lettuce;
 *   <li>{@link dev.bulwark.core.ratelimit.redis.FailureMode}: what a decision does when Redis cannot answer (open,
 *       closed, local);
 *   <li>{@link dev.bulwark.core.ratelimit.redis.BreakerState}, {@link dev.bulwark.core.ratelimit.redis.RedisStoreStats}
 *       and {@link dev.bulwark.core.ratelimit.redis.RedisPing}: state, counters and a health ping, for metrics
 *       ({@link dev.bulwark.core.metrics.RedisStoreMetrics}) and health checks.
 * </ul>
 *
 * <p>Lettuce ({@code io.lettuce:lettuce-core}) is an optional dependency of {@code bulwark-core}: this package is only
 * loaded by applications that use it, and they add Lettuce themselves.
 */
@NullMarked
package dev.bulwark.core.ratelimit.redis;

import org.jspecify.annotations.NullMarked;
