/**
 * Health probes that never hang: {@link dev.bulwark.core.health.HealthProbe} (the SPI) and the built-in checks of
 * {@link dev.bulwark.core.health.HealthProbes} (JDBC, Redis, TCP, HTTP, disk space), evaluated in parallel with
 * per-probe timeouts by {@link dev.bulwark.core.health.HealthRegistry} into a {@link
 * dev.bulwark.core.health.GroupResult} per group ({@code liveness}, {@code readiness}, {@code startup}, custom), rendered
 * by {@link dev.bulwark.core.health.HealthResponse} as {@code application/health+json} or a minimal body.
 *
 * <p>Around the probes: {@link dev.bulwark.core.health.HealthLifecycle} (starting, started, draining, stopped, plus the
 * in-flight request counter), {@link dev.bulwark.core.health.GracefulShutdown} (flip readiness, wait, drain), {@link
 * dev.bulwark.core.health.StartupGate} (wait for dependencies with capped, fully jittered exponential backoff) and
 * {@link dev.bulwark.core.health.HealthCheckCommand} (a JDK-only {@code HEALTHCHECK} command for images without curl).
 *
 * <p>A thin servlet filter serves {@code /health/live}, {@code /health/ready} and {@code /health/started}:
 *
 * <pre>{@code
 * String group = registry.groupForPath(segment).orElse(null);          // "ready" -> "readiness"
 * GroupResult result = registry.evaluate(group);                      // bounded by the group deadline
 * HealthResponse response = HealthResponse.render(result, HealthFormat.HEALTH_JSON, HealthDetails.NEVER);
 * res.setStatus(response.statusCode());
 * res.setHeader("Cache-Control", HealthResponse.CACHE_CONTROL);
 * res.setContentType(response.contentType());
 * if (!"HEAD".equals(req.getMethod())) res.getOutputStream().write(response.body());
 * }</pre>
 */
@NullMarked
package dev.bulwark.core.health;

import org.jspecify.annotations.NullMarked;
