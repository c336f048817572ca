package dev.bulwark.core.ratelimit;

/**
 * Receives rate-limit decisions, for metrics and logs.
 *
 * <p>Implementations must be thread-safe. Methods are called on request threads, once per policy evaluated, after the
 * bucket was consulted: they must be fast and non-blocking. An exception thrown by a listener is logged once and
 * otherwise ignored; it never changes a decision. The client's key is deliberately not passed: counters keyed by
 * client would be unbounded.
 */
public interface RateLimitListener {

    /** Called when a policy admitted a request that cost {@code cost} tokens. */
    default void onAllowed(RateLimitPolicy policy, long cost) {}

    /**
     * Called when a policy rejected a request.
     *
     * @param waitNanos how long the client must wait before the request would pass
     * @param dryRun whether the limiter is in dry-run mode, so the request is let through all the same
     */
    default void onRejected(RateLimitPolicy policy, long waitNanos, boolean dryRun) {}

    /** Returns a listener that does nothing. */
    static RateLimitListener noop() {
        return NoopRateLimitListener.INSTANCE;
    }
}
