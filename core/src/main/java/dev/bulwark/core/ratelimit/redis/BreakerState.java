package dev.bulwark.core.ratelimit.redis;

import java.util.Locale;

/**
 * The state of a {@link RedisBucketStore}'s circuit breaker.
 *
 * <p>{@code CLOSED → OPEN} after a number of consecutive failed calls; {@code OPEN → HALF_OPEN} once the cool-down has
 * passed, when the next decision starts the one probe in the background; {@code HALF_OPEN → CLOSED} when the probe
 * succeeds, or back to {@code OPEN} for another cool-down when it fails.
 */
public enum BreakerState {
    /** Redis is called for every decision (the normal state). */
    CLOSED,
    /** Redis is not called; decisions follow the {@link FailureMode} without waiting. */
    OPEN,
    /** One background probe is calling Redis; decisions still follow the {@link FailureMode}. */
    HALF_OPEN;

    /** Returns the lower-case name used in logs and metric tags, such as {@code half_open}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
