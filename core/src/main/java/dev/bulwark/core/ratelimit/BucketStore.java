package dev.bulwark.core.ratelimit;

import dev.bulwark.core.TimeSource;

/**
 * Holds the token buckets: the SPI between {@link RateLimiter} and where bucket state lives.
 *
 * <p>Implementations must be thread-safe and exact: concurrent consumers of one key never get more than the capacity
 * between them. {@link #tryConsume} runs on request threads and must be fast; it must not block beyond the store's own
 * timeout, and must not throw for a healthy store (a remote store reports failures as it documents). The embedded
 * default is {@link #local(long)}, in memory and bounded; a shared store (Redis) lets several instances enforce one
 * limit.
 */
public interface BucketStore extends AutoCloseable {

    /**
     * Consumes {@code cost} tokens from the key's bucket, creating a full bucket for a key not seen before (or whose
     * bucket expired after refilling to full).
     *
     * @return the outcome, encoded as described by {@link Consumption}
     */
    long tryConsume(BucketKey key, long cost);

    /** Returns the number of buckets currently tracked (an estimate). */
    long trackedKeys();

    /** Returns how many buckets were dropped before refilling to full because the store hit its size bound. */
    long forcedEvictions();

    /** Releases the store's resources. The default does nothing. */
    @Override
    default void close() {}

    /**
     * Returns an in-memory store holding at most {@code maxTrackedKeys} buckets, on the system clock.
     *
     * @see #local(long, TimeSource)
     */
    static BucketStore local(long maxTrackedKeys) {
        return local(maxTrackedKeys, TimeSource.system());
    }

    /**
     * Returns an in-memory store: bucket4j token buckets in a bounded Caffeine cache, timed by a monotonic clock.
     *
     * <p>A bucket is dropped once it would have refilled to full (it is then indistinguishable from a new one, so no
     * client gains anything), at most sixteen tokens' refill of its slowest rate (and at least two seconds) later: that
     * margin lets most requests read their bucket without the cache's bookkeeping. Under a flood of distinct keys the
     * cache also stays within {@code maxTrackedKeys}, dropping the least valuable entries first and counting each such
     * forced eviction. Each tracked key costs about 200 bytes of heap.
     *
     * @param maxTrackedKeys the most buckets held at once, at least 1 (Bulwark's default is 100 000)
     * @throws IllegalArgumentException if {@code maxTrackedKeys} is below 1
     */
    static BucketStore local(long maxTrackedKeys, TimeSource timeSource) {
        return new LocalBucketStore(maxTrackedKeys, timeSource);
    }
}
