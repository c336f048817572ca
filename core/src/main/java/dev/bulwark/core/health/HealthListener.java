package dev.bulwark.core.health;

import java.util.Set;

/**
 * Receives health results, for metrics and logs; {@link dev.bulwark.core.metrics.HealthMetrics} implements it with
 * Micrometer.
 *
 * <p>Implementations must be thread-safe, fast and non-blocking: {@link #onProbeResult} runs on a health pool thread
 * (or the thread that detected a timeout), {@link #onGroupResult} on the thread that called {@link
 * HealthRegistry#evaluate(String)} — often a request thread. Exceptions are caught and logged by the registry.
 */
public interface HealthListener {

    /** Called once when the registry is built, with every probe and group name. */
    default void onRegistered(Set<String> probes, Set<String> groups) {}

    /**
     * Called once per completed check (including timeouts) with the result after hysteresis.
     *
     * @param probe the probe name
     * @param result the result, with the measured duration
     */
    default void onProbeResult(String probe, ProbeResult result) {}

    /** Called for every group evaluation, cached or not. */
    default void onGroupResult(GroupResult result) {}

    /** Returns a listener that does nothing. */
    static HealthListener noop() {
        return NoopHealthListener.INSTANCE;
    }
}
