package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.bulwark.core.TimeSource;
import dev.bulwark.core.internal.Checks;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState64BitsInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The in-memory {@link BucketStore}: bucket4j bucket state in a bounded Caffeine cache.
 *
 * <p>Safe for concurrent use. Each entry is one {@link Slot} (bucket4j's 64-bit integer bucket state plus the time it
 * will be full again) guarded by its own monitor, so consuming never allocates and never copies state (bucket4j's
 * lock-free bucket copies its state on every call). Caffeine's maintenance runs on the calling thread, so the bound
 * holds without a background executor.
 */
final class LocalBucketStore implements BucketStore {

    private final TimeSource time;
    private final Cache<BucketKey, Slot> buckets;
    private final LongAdder forcedEvictions = new LongAdder();
    private final Function<BucketKey, Slot> factory;

    LocalBucketStore(long maxTrackedKeys, TimeSource time) {
        Checks.requireArgument(maxTrackedKeys >= 1, "max tracked keys must be at least 1: %s", maxTrackedKeys);
        this.time = requireNonNull(time, "timeSource");
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxTrackedKeys)
                .expireAfter(new UntilFull())
                .ticker(time::nanoTime)
                .executor(Runnable::run)
                .evictionListener((BucketKey key, Slot slot, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        forcedEvictions.increment();
                    }
                })
                .build();
        this.factory = key -> new Slot(key.policy.bucketConfiguration(), time.nanoTime());
    }

    @Override
    public long tryConsume(BucketKey key, long cost) {
        Slot slot = buckets.get(key, factory);
        RateLimitPolicy policy = key.policy;
        synchronized (slot) {
            long now = time.nanoTime();
            slot.refillAllBandwidth(now);
            int rates = policy.rates().size();
            if (slot.getAvailableTokens() >= cost) {
                slot.consume(cost);
                slot.fullAt = now + slot.calculateFullRefillingTime(now);
                int binding = 0;
                long remaining = slot.getCurrentSize(0);
                for (int i = 1; i < rates; i++) {
                    long size = slot.getCurrentSize(i);
                    if (size < remaining) {
                        remaining = size;
                        binding = i;
                    }
                }
                long missing = policy.rates().get(binding).capacity() - remaining;
                long resetNanos = saturatedMultiply(missing, policy.nanosPerToken(binding));
                return Consumption.allowed(binding, remaining, Consumption.ceilSeconds(resetNanos));
            }
            long wait = slot.calculateDelayNanosAfterWillBePossibleToConsume(cost, now, false);
            int binding = 0;
            long longest = -1;
            for (int i = 0; i < rates; i++) {
                long rateWait = saturatedMultiply(Math.max(0, cost - slot.getCurrentSize(i)), policy.nanosPerToken(i));
                if (rateWait > longest) {
                    longest = rateWait;
                    binding = i;
                }
            }
            return Consumption.rejected(binding, wait);
        }
    }

    @Override
    public long trackedKeys() {
        return buckets.estimatedSize();
    }

    @Override
    public long forcedEvictions() {
        return forcedEvictions.sum();
    }

    /** Runs pending cache maintenance (expiry and size eviction); for tests and gauges. */
    void cleanUp() {
        buckets.cleanUp();
    }

    @Override
    public void close() {
        buckets.invalidateAll();
    }

    @Override
    public String toString() {
        return "BucketStore.local(" + buckets.policy().eviction().orElseThrow().getMaximum() + ")";
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    /** One bucket: bucket4j's state plus the monotonic time at which it will be full again. Guarded by itself. */
    static final class Slot extends BucketState64BitsInteger {
        /** Written under the monitor, read by the cache's expiry without it (a stale read only shortens a margin). */
        volatile long fullAt;

        Slot(BucketConfiguration configuration, long now) {
            super(configuration, now);
            this.fullAt = now;
        }
    }

    /**
     * Keeps an entry until its bucket would be full again, plus a margin for the request about to consume: a full
     * bucket is indistinguishable from a new one, so dropping it then loses nothing (bucket4j's expiry rule).
     */
    private static final class UntilFull implements Expiry<BucketKey, Slot> {
        @Override
        public long expireAfterCreate(BucketKey key, Slot slot, long now) {
            return remaining(key, slot, now);
        }

        @Override
        public long expireAfterUpdate(BucketKey key, Slot slot, long now, long currentDuration) {
            return remaining(key, slot, now);
        }

        @Override
        public long expireAfterRead(BucketKey key, Slot slot, long now, long currentDuration) {
            return remaining(key, slot, now);
        }

        private static long remaining(BucketKey key, Slot slot, long now) {
            return Math.max(0, slot.fullAt - now) + key.policy.expirySlackNanos();
        }
    }
}
