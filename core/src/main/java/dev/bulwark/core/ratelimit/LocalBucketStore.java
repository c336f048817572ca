package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.bulwark.core.TimeSource;
import dev.bulwark.core.internal.Checks;
import io.github.bucket4j.BucketState64BitsInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The in-memory {@link BucketStore}: bucket4j bucket state in a bounded Caffeine cache.
 *
 * <p>Safe for concurrent use. Each entry is one {@link Slot} (bucket4j's 64-bit integer bucket state plus the time
 * until which the cache keeps it) guarded by its own monitor, so consuming never allocates and never copies state
 * (bucket4j's lock-free bucket copies its state on every call). Most requests read their entry quietly, without the
 * cache's per-read bookkeeping; the rest record their read (see {@link #tryConsume}). Caffeine's maintenance runs on
 * the calling thread, so the bound holds without a background executor.
 */
final class LocalBucketStore implements BucketStore {

    /**
     * Besides an entry's second request, one request in this many is recorded by the cache when nothing else does. The
     * buckets that matter under a flood of new keys are those being drained, and their reads are recorded anyway
     * (expiry moves, rejections); a bucket that stays near full loses almost nothing if it is evicted.
     */
    static final int RECORD_EVERY = 64;

    /** How far the time source must have moved before the cache's clock follows. */
    static final long CLOCK_STEP_NANOS = 1_000_000L;

    private final TimeSource time;
    private final Cache<BucketKey, Slot> buckets;
    private final LongAdder forcedEvictions = new LongAdder();

    /**
     * The cache's clock: the time source as last read by a request, moved when it advanced by more than
     * {@link #CLOCK_STEP_NANOS}. Expiry works in steps of about a second, so this saves a clock read per request; a
     * stale value only keeps an entry slightly longer (it expires no earlier than its bucket is full, whatever the
     * clock says), and the value never goes back.
     */
    private final AtomicLong clock;

    private final Function<BucketKey, Slot> factory;
    private final Policy<BucketKey, Slot> quietly;

    LocalBucketStore(long maxTrackedKeys, TimeSource time) {
        Checks.requireArgument(maxTrackedKeys >= 1, "max tracked keys must be at least 1: %s", maxTrackedKeys);
        this.time = requireNonNull(time, "timeSource");
        this.clock = new AtomicLong(time.nanoTime());
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxTrackedKeys)
                .expireAfter(new UntilFull())
                .ticker(clock::get)
                .executor(Runnable::run)
                .evictionListener((BucketKey key, Slot slot, RemovalCause cause) -> {
                    synchronized (slot) {
                        slot.retired = true; // a request holding it retries on the key's current bucket
                    }
                    if (cause == RemovalCause.SIZE) {
                        forcedEvictions.increment();
                    }
                })
                .build();
        this.factory = key -> new Slot(key.policy, time.nanoTime());
        this.quietly = buckets.policy();
    }

    @Override
    public long tryConsume(BucketKey key, long cost) {
        // The common case reads without touching the cache's bookkeeping (access order, timer wheel, frequency
        // sketch): those are pointer writes into other entries, several cache misses per read. A read is recorded
        // when the entry's expiry must move, for a rejection, for the entry's second request (a client that came
        // back outranks a key seen once), and one read in RECORD_EVERY otherwise, so the clients that keep coming
        // back keep their frequency. A key with few requests (most of them, among a million live clients) thus
        // costs no bookkeeping beyond its creation and second request.
        RateLimitPolicy policy = key.policy;
        Slot slot = quietly.getIfPresentQuietly(key);
        while (true) {
            if (slot == null) {
                slot = buckets.get(key, factory);
            }
            long result;
            boolean record;
            boolean retry;
            synchronized (slot) {
                long now = time.nanoTime();
                advanceClock(now);
                long margin = policy.expiryMarginNanos();
                if (slot.retired || now >= slot.keepUntil - (margin >>> 2)) {
                    // Removed from the cache, or within a quarter margin of its keep time (so its bucket is full:
                    // see below): never consume from it, so that every request of the key counts in the bucket
                    // the cache holds, and none is lost with an entry that is about to expire.
                    slot.retired = true;
                    result = 0;
                    record = false;
                    retry = true;
                } else {
                    retry = false;
                    slot.refillAllBandwidth(now);
                    int rates = policy.rates().size();
                    if (slot.getAvailableTokens() >= cost) {
                        slot.consume(cost);
                        int binding = 0;
                        long remaining = slot.getCurrentSize(0);
                        long resetNanos = saturatedMultiply(policy.capacity(0) - remaining, policy.nanosPerToken(0));
                        // when every rate is full again, rounded up to whole tokens (bucket4j's exact answer costs
                        // divisions)
                        long untilFull = resetNanos;
                        for (int i = 1; i < rates; i++) {
                            long size = slot.getCurrentSize(i);
                            long refill = saturatedMultiply(policy.capacity(i) - size, policy.nanosPerToken(i));
                            untilFull = Math.max(untilFull, refill);
                            if (size < remaining) {
                                remaining = size;
                                binding = i;
                                resetNanos = refill;
                            }
                        }
                        long fullAt = saturatedAdd(now, untilFull);
                        result = Consumption.allowed(binding, remaining, Consumption.ceilSeconds(resetNanos));
                        // Invariant: keepUntil >= fullAt + margin / 4 after every consumption.
                        if (saturatedAdd(fullAt, margin >>> 2) > slot.keepUntil) {
                            // keep the entry a full margin past its new full time: a move of more than 3/4 of the
                            // margin (at least 1.5 s), which the cache never ignores (it skips moves under 1 s)
                            slot.keepUntil = saturatedAdd(fullAt, margin);
                            record = true;
                        } else {
                            record = slot.countRead();
                        }
                    } else {
                        long wait = slot.calculateDelayNanosAfterWillBePossibleToConsume(cost, now, false);
                        int binding = 0;
                        long longest = -1;
                        for (int i = 0; i < rates; i++) {
                            long rateWait = saturatedMultiply(
                                    Math.max(0, cost - slot.getCurrentSize(i)), policy.nanosPerToken(i));
                            if (rateWait > longest) {
                                longest = rateWait;
                                binding = i;
                            }
                        }
                        result = Consumption.rejected(binding, wait);
                        slot.countRead();
                        record = true; // a drained bucket stays frequent, so a flood cannot evict it
                    }
                }
            }
            if (retry) {
                Slot stale = slot;
                slot = buckets.asMap()
                        .compute(
                                key,
                                (k, current) -> current == null || current == stale || current.retired
                                        ? factory.apply(k)
                                        : current);
                continue;
            }
            if (record) {
                // records the access and, through UntilFull.expireAfterRead, moves the expiry to keepUntil
                buckets.getIfPresent(key);
            }
            return result;
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

    private void advanceClock(long now) {
        long seen = clock.get();
        if (now - seen > CLOCK_STEP_NANOS) {
            clock.compareAndSet(seen, now); // a lost race means another request moved it just now
        }
    }

    /** Runs pending cache maintenance (expiry and size eviction); for tests and gauges. */
    void cleanUp() {
        advanceClock(time.nanoTime());
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

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    /** One bucket: bucket4j's state and the monotonic time until which the cache keeps it. Guarded by itself. */
    static final class Slot extends BucketState64BitsInteger {
        /**
         * Until when the cache keeps the entry. After every consumption it is at least a quarter margin past the time
         * the bucket is full again, so from a quarter margin before it on, the bucket is full and interchangeable
         * with a new one. Written under the monitor, read by the cache's expiry without it.
         */
        volatile long keepUntil;

        /** Set once the entry left the cache, or is about to: no request consumes from it any more. */
        volatile boolean retired;

        /** Requests counted so far, the one that created the entry included; saturating. */
        private int reads;

        /**
         * Counts a request; returns whether the cache should record it: the second (a client that came back is then
         * more frequent than a key seen once) and every {@link #RECORD_EVERY}th.
         */
        boolean countRead() {
            int n = reads == Integer.MAX_VALUE ? RECORD_EVERY : reads + 1;
            reads = n;
            return n == 2 || n % RECORD_EVERY == 0;
        }

        Slot(RateLimitPolicy policy, long now) {
            super(policy.bucketConfiguration(), now);
            this.keepUntil = saturatedAdd(now, policy.expiryMarginNanos());
        }
    }

    /**
     * Keeps an entry until its bucket would be full again, plus a margin: a full bucket is indistinguishable from a new
     * one, so dropping it then loses nothing (bucket4j's expiry rule). The margin lets most reads leave the expiry
     * alone.
     */
    private static final class UntilFull implements Expiry<BucketKey, Slot> {
        @Override
        public long expireAfterCreate(BucketKey key, Slot slot, long now) {
            return remaining(slot, now);
        }

        @Override
        public long expireAfterUpdate(BucketKey key, Slot slot, long now, long currentDuration) {
            return remaining(slot, now);
        }

        @Override
        public long expireAfterRead(BucketKey key, Slot slot, long now, long currentDuration) {
            return remaining(slot, now);
        }

        private static long remaining(Slot slot, long now) {
            long keepUntil = slot.keepUntil;
            if (keepUntil == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            long left = keepUntil - now;
            boolean overflow = ((keepUntil ^ now) & (keepUntil ^ left)) < 0;
            return overflow ? (keepUntil > now ? Long.MAX_VALUE : 0) : Math.max(0, left);
        }
    }
}
