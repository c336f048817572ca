/**
 * Micrometer binders for Bulwark's capabilities. Micrometer is an optional dependency of {@code bulwark-core}: these
 * classes are only loaded when an application uses them, so plain-servlet applications get metrics too and nobody is
 * forced to take Micrometer.
 *
 * <ul>
 *   <li>{@link dev.bulwark.core.metrics.RateLimitMetrics}: {@code bulwark.ratelimit.*} decision counters and store
 *       gauges, as a {@link dev.bulwark.core.ratelimit.RateLimitListener};
 *   <li>{@link dev.bulwark.core.metrics.HealthMetrics}: {@code bulwark.health.probe.status{probe}}, {@code
 *       bulwark.health.group.status{group}} and {@code bulwark.health.probe.duration{probe}}, as a {@link
 *       dev.bulwark.core.health.HealthListener};
 *   <li>{@link dev.bulwark.core.metrics.BackupMetrics}: {@code bulwark.backup.last.success}, {@code
 *       bulwark.backup.last.size}, {@code bulwark.backup.last.duration}, {@code bulwark.backup.consecutive.failures},
 *       {@code bulwark.backup.runs{outcome}} and {@code bulwark.backup.failures{reason}}, as a {@link
 *       dev.bulwark.core.backup.BackupListener};
 *   <li>{@link dev.bulwark.core.metrics.RequestMetrics}: the {@code bulwark.http.server.requests} duration histogram
 *       by method, status class and route pattern, the in-flight gauge, {@code bulwark.rejections} by capability and
 *       reason, and the concurrency limiter's {@code bulwark.overload.*} meters, as a {@link
 *       dev.bulwark.core.RequestListener};
 *   <li>{@link dev.bulwark.core.metrics.RedisStoreMetrics}: {@code bulwark.ratelimit.redis.*} circuit-breaker state and
 *       transitions, call outcomes and fallbacks of the Redis bucket store (needs Lettuce, like the store itself).
 * </ul>
 *
 * <p>Meters are tagged with bounded values only (policy, probe and group names, outcomes), never with a client
 * address, user, origin or path.
 */
@NullMarked
package dev.bulwark.core.metrics;

import org.jspecify.annotations.NullMarked;
