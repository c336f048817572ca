package dev.bulwark.spring;

import dev.bulwark.core.health.HealthDetails;
import dev.bulwark.core.health.HealthFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Health probes and endpoints ({@code bulwark.health.*}): {@code /health/live}, {@code /health/ready} and {@code
 * /health/started}, probes for the application's data sources and Redis, probes declared here, the startup gate and
 * the graceful drain.
 *
 * @param enabled Whether Bulwark serves health endpoints, registers probes and drains on shutdown
 * @param path Base path of the health endpoints: {path}/live, {path}/ready, {path}/started and {path}/{custom-group}
 * @param format Body of health responses: health-json (application/health+json with pass, warn, fail) or minimal
 *     ({"status":"UP"})
 * @param details What health responses reveal: never (status only), checks (per-check status and timing, no
 *     messages), when-authorized (everything for authorized requests, nothing for the others) or always
 * @param authorizedNetworks Client addresses or CIDR blocks whose requests count as authorized for
 *     details=when-authorized, such as 10.0.0.0/8; the endpoints run before Spring Security, so a request is otherwise
 *     authorized only when the container authenticated it
 * @param cacheTtl How long a probe result is reused, so that a burst of health requests triggers one check (0 turns
 *     caching off; concurrent requests still share one check in flight)
 * @param groupDeadline Overall time limit of one group evaluation; keep it below the orchestrator's probe timeout
 *     (Kubernetes: 1s)
 * @param failureThreshold Consecutive failures after which a probe that was up is reported down
 * @param successThreshold Consecutive successes after which a probe that was down is reported up
 * @param backgroundRefresh Interval of background checks; when set, endpoints never wait for a check and return the
 *     latest results (unset: checks run on demand)
 * @param stalenessLimit Age after which a background result counts as down (default: twice the refresh interval plus
 *     the longest probe timeout)
 * @param maxThreads Maximum number of threads of the dedicated health pool
 * @param drainDelay How long readiness answers 503 on shutdown while the application still serves, so that load
 *     balancers stop sending traffic first; unset means 0s, or 5s when running on Kubernetes. Set it a little longer
 *     than the load balancer's health check interval (typically 5s to 10s)
 * @param gracefulTimeout How long in-flight requests may take to finish on shutdown, after the drain delay
 * @param probes Probes declared in configuration, by name: type (tcp, http, jdbc, redis or disk), target, timeout,
 *     critical and groups
 * @param datasource The probe registered for each DataSource bean (named db, or after the bean when there are several)
 * @param redis The probe registered when the application has a Redis connection bean (named redis), built from the
 *     spring.data.redis.* properties
 * @param startupGate Waiting for dependencies before the application starts (the DataSource is first used)
 */
@ConfigurationProperties("bulwark.health")
public record HealthProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("/health") String path,
        @DefaultValue("health-json") HealthFormat format,
        @DefaultValue("never") HealthDetails details,
        @DefaultValue List<String> authorizedNetworks,
        @DefaultValue("1s") Duration cacheTtl,
        @DefaultValue("900ms") Duration groupDeadline,
        @DefaultValue("1") int failureThreshold,
        @DefaultValue("1") int successThreshold,
        @Nullable Duration backgroundRefresh,
        @Nullable Duration stalenessLimit,
        @DefaultValue("8") int maxThreads,
        @Nullable Duration drainDelay,
        @DefaultValue("30s") Duration gracefulTimeout,
        @DefaultValue Map<String, Probe> probes,
        @DefaultValue AutoProbe datasource,
        @DefaultValue AutoProbe redis,
        @DefaultValue Gate startupGate) {

    /** The drain delay used on Kubernetes when {@code bulwark.health.drain-delay} is not set. */
    public static final Duration KUBERNETES_DRAIN_DELAY = Duration.ofSeconds(5);

    /**
     * A probe declared in configuration ({@code bulwark.health.probes.<name>.*}).
     *
     * @param type Kind of check: tcp, http, jdbc, redis or disk
     * @param target What to check: host:port (tcp), an http(s) URL (http), a JDBC URL (jdbc), a redis:// or rediss://
     *     URI (redis), or a directory with an optional ?min-free=500MB (disk)
     * @param timeout Time limit of one check (default 500ms)
     * @param critical Whether a failure makes the groups down (503) rather than warn (200); default true
     * @param groups Groups the probe belongs to, such as readiness, liveness, startup or a custom group; default
     *     readiness
     */
    public record Probe(
            @Nullable String type,
            @Nullable String target,
            @Nullable Duration timeout,
            @Nullable Boolean critical,
            @Nullable List<String> groups) {}

    /**
     * A probe registered automatically for a bean ({@code bulwark.health.datasource.*} or {@code
     * bulwark.health.redis.*}).
     *
     * @param enabled Whether the probe is registered
     * @param timeout Time limit of one check
     * @param critical Whether a failure makes the groups down (503) rather than warn (200)
     * @param groups Groups the probe belongs to
     */
    public record AutoProbe(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("500ms") Duration timeout,
            @DefaultValue("true") boolean critical,
            @DefaultValue("readiness") List<String> groups) {}

    /**
     * The startup gate ({@code bulwark.health.startup-gate.*}): before the first DataSource is created (so before
     * Flyway or Liquibase), waits for the named probes with capped, fully jittered exponential backoff, and fails
     * startup naming the dependency when it stays down.
     *
     * @param waitFor Probes to wait for, in order: probes declared under bulwark.health.probes and the data source
     *     probes (db) are awaited before the first DataSource is used, other probes before the web server starts;
     *     empty turns the gate off
     * @param initialDelay Upper bound of the first wait between attempts
     * @param multiplier Factor by which the bound grows after each failed attempt
     * @param maxDelay Cap of the bound; the wait is random below it (full jitter)
     * @param maxAttempts Maximum number of checks per dependency
     * @param deadline Overall time limit for all dependencies; keep it within the orchestrator's startup budget
     */
    public record Gate(
            @DefaultValue List<String> waitFor,
            @DefaultValue("2s") Duration initialDelay,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("10s") Duration maxDelay,
            @DefaultValue("30") int maxAttempts,
            @DefaultValue("5m") Duration deadline) {}
}
