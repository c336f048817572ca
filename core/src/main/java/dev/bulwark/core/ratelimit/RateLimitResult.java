package dev.bulwark.core.ratelimit;

import java.time.Duration;

/**
 * The outcome of a programmatic {@link RateLimiter#tryAcquire(String, String)}.
 *
 * @param policy the policy's name
 * @param allowed whether the call may proceed
 * @param remaining tokens left in the most restrictive of the policy's rates; 0 when rejected
 * @param retryAfter how long to wait before retrying; {@link Duration#ZERO} when allowed
 * @param reset how long until the binding rate is full again
 */
public record RateLimitResult(String policy, boolean allowed, long remaining, Duration retryAfter, Duration reset) {}
