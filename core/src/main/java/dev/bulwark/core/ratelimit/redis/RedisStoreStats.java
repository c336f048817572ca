package dev.bulwark.core.ratelimit.redis;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot of a {@link RedisBucketStore}'s counters, for metrics and tests. All counts are cumulative since the store
 * was built.
 *
 * <p>Instances are immutable and safe for concurrent use. Counters are read one after another, not atomically
 * together.
 *
 * @param state the circuit breaker's state when the snapshot was taken
 * @param commands commands sent to Redis ({@code EVALSHA}, plus an {@code EVAL} after each {@code NOSCRIPT}, and the
 *     breaker's probes): divided by {@code decisions} this is the average number of round trips per decision
 * @param decisions decisions taken through Redis (successful calls)
 * @param errors calls that failed with an error (connection lost, refused, script error)
 * @param timeouts calls that got no answer within the timeout
 * @param scriptLoads times the script had to be sent in full because Redis did not have it cached ({@code NOSCRIPT}:
 *     once per Redis node, and again after a restart)
 * @param fallbacks decisions taken without Redis, by the {@link FailureMode}: after a failed call, or while the
 *     breaker was open
 * @param breakerOpened transitions from {@code CLOSED} to {@code OPEN} (outages detected)
 * @param breakerProbes transitions from {@code OPEN} to {@code HALF_OPEN} (background probes started)
 * @param breakerProbeFailures transitions from {@code HALF_OPEN} back to {@code OPEN} (failed probes)
 * @param breakerClosed transitions from {@code HALF_OPEN} to {@code CLOSED} (recoveries)
 */
public record RedisStoreStats(
        BreakerState state,
        long commands,
        long decisions,
        long errors,
        long timeouts,
        long scriptLoads,
        long fallbacks,
        long breakerOpened,
        long breakerProbes,
        long breakerProbeFailures,
        long breakerClosed) {

    /** Creates a snapshot. */
    public RedisStoreStats {
        requireNonNull(state, "state");
    }
}
