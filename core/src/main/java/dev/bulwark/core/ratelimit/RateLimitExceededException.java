package dev.bulwark.core.ratelimit;

import java.time.Duration;

/**
 * Thrown by {@link RateLimiter#acquire(String, String)} when a policy rejects a call.
 *
 * <p>Carries the policy name and the wait; the message names both and never the key (which may be an account name or
 * an address). Immutable; no stack trace is filled in, as the exception is an expected outcome.
 */
public final class RateLimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String policy;
    private final Duration retryAfter;

    RateLimitExceededException(String policy, Duration retryAfter) {
        super(
                "rate limit '" + policy + "' exceeded; retry after " + Consumption.ceilSeconds(retryAfter.toNanos())
                        + " s",
                null,
                false,
                false);
        this.policy = policy;
        this.retryAfter = retryAfter;
    }

    /** Returns the name of the policy that rejected the call. */
    public String policy() {
        return policy;
    }

    /** Returns how long to wait before the call would pass. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
