package dev.bulwark.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.core.FakeTimeSource;
import dev.bulwark.core.client.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalBucketStoreTest {

    private final FakeTimeSource time = new FakeTimeSource();
    private final RateLimitPolicy hourly = RateLimitPolicy.anonymous(Rate.parseList("1000/hour"));

    private static BucketKey key(RateLimitPolicy policy, int n) {
        long v4 = 0x0a000000L | (n & 0xffffffL);
        return BucketKey.address(
                policy,
                IpAddress.of((v4 >>> 24) + "." + ((v4 >>> 16) & 0xff) + "." + ((v4 >>> 8) & 0xff) + "." + (v4 & 0xff)));
    }

    @Test
    void bucketIsKeptUntilItWouldBeFullAgain() {
        LocalBucketStore store = new LocalBucketStore(100, time);
        BucketKey client = key(hourly, 1);
        for (int i = 0; i < 1000; i++) {
            assertThat(Consumption.isAllowed(store.tryConsume(client, 1))).isTrue();
        }
        assertThat(Consumption.isAllowed(store.tryConsume(client, 1))).isFalse();
        time.advance(Duration.ofMinutes(59));
        store.cleanUp();
        assertThat(store.trackedKeys()).isEqualTo(1);
        // a dropped bucket would answer 999 here; the kept one has refilled 983 tokens and spends one
        assertThat(Consumption.remaining(store.tryConsume(client, 1))).isEqualTo(982);
    }

    @Test
    void fullBucketIsDroppedSoonAfter() {
        LocalBucketStore store = new LocalBucketStore(100, time);
        store.tryConsume(key(hourly, 1), 1);
        time.advance(Duration.ofSeconds(3));
        store.cleanUp();
        assertThat(store.trackedKeys()).isEqualTo(1);
        // full again 3.6 s after the request; kept at most a margin of sixteen tokens' refill (57.6 s) more, here
        // 57.6 s after its creation (the request left it more than a quarter of the margin)
        time.advance(Duration.ofSeconds(53));
        store.cleanUp();
        assertThat(store.trackedKeys()).isEqualTo(1);
        // expiry is processed on the cache's timer wheel, in steps of about a second
        time.advance(Duration.ofSeconds(3));
        store.cleanUp();
        assertThat(store.trackedKeys()).isZero();
        assertThat(store.forcedEvictions()).isZero();
        assertThat(Consumption.remaining(store.tryConsume(key(hourly, 1), 1))).isEqualTo(999);
    }

    @Test
    void aBucketDrainedByManyRequestsIsNeverDroppedBeforeItIsFull() {
        LocalBucketStore store = new LocalBucketStore(100, time);
        BucketKey client = key(hourly, 1);
        // most of these reads leave the cache's expiry alone; the ones that must move it do
        for (int i = 0; i < 600; i++) {
            assertThat(Consumption.isAllowed(store.tryConsume(client, 1))).isTrue();
            time.advance(Duration.ofMillis(100));
        }
        // 600 tokens spent in 60 s, 16⅔ refilled meanwhile: full again 583⅓ × 3.6 s = 35 min from now
        time.advance(Duration.ofMinutes(34));
        store.cleanUp();
        assertThat(store.trackedKeys()).isEqualTo(1);
        // a dropped bucket would answer 999; the kept one is 16⅔ tokens short and spends one
        assertThat(Consumption.remaining(store.tryConsume(client, 1))).isEqualTo(982);
    }

    @Test
    void aDrainedBucketIsDroppedOnlyAfterItIsFull() {
        LocalBucketStore store = new LocalBucketStore(100, time);
        BucketKey client = key(hourly, 1);
        for (int i = 0; i < 1000; i++) {
            store.tryConsume(client, 1);
        }
        // full again one hour from now, and kept at most 57.6 s longer
        time.advance(Duration.ofMinutes(60).plusSeconds(59));
        store.cleanUp();
        assertThat(store.trackedKeys()).isZero();
        assertThat(store.forcedEvictions()).isZero();
    }

    @Test
    void aRequestOnAnEntryThatExpiredUnnoticedKeepsItsConsumption() {
        LocalBucketStore store = new LocalBucketStore(100, time);
        BucketKey client = key(hourly, 1);
        store.tryConsume(client, 1);
        // idle past the entry's expiry, with no cache maintenance in between
        time.advance(Duration.ofMinutes(5));
        assertThat(Consumption.remaining(store.tryConsume(client, 1))).isEqualTo(999);
        assertThat(Consumption.remaining(store.tryConsume(client, 1))).isEqualTo(998);
        store.cleanUp();
        assertThat(store.trackedKeys()).isEqualTo(1);
    }

    @Test
    void aFastRateBucketIsKeptUntilFullAlthoughTheCacheSkipsSmallExpiryMoves() {
        LocalBucketStore store = new LocalBucketStore(100, time);
        BucketKey client = key(RateLimitPolicy.anonymous(Rate.parseList("100/s;burst=1000")), 1);
        for (int i = 0; i < 1000; i++) {
            store.tryConsume(client, 1);
        }
        // full again after 10 s; at 9.3 s it holds 930 tokens (a dropped bucket would hold 1000)
        time.advance(Duration.ofMillis(9300));
        store.cleanUp();
        assertThat(Consumption.remaining(store.tryConsume(client, 1))).isEqualTo(929);
    }

    @Test
    void concurrentRequestsAfterAnIdlePeriodShareOneBucket() throws Exception {
        RateLimitPolicy fivePerMinute =
                RateLimitPolicy.scope("five").rates("5/min").build();
        LocalBucketStore store = new LocalBucketStore(1000, time);
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                BucketKey client = key(fivePerMinute, round);
                store.tryConsume(client, 1);
                // idle long past the entry's keep time, with no maintenance: the cache's clock is stale
                time.advance(Duration.ofMinutes(20));
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
                java.util.List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return Consumption.isAllowed(store.tryConsume(client, 1));
                    }));
                }
                int allowed = 0;
                for (java.util.concurrent.Future<Boolean> answer : answers) {
                    allowed += answer.get() ? 1 : 0;
                }
                assertThat(allowed).as("round %d", round).isEqualTo(5);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDrainedBucketKeepsItsPlaceWhenNewKeysArrive() {
        LocalBucketStore store = new LocalBucketStore(100, time);
        RateLimitPolicy tenPerMinute =
                RateLimitPolicy.scope("ten").rates("10/min").build();
        for (int i = 1; i <= 100; i++) {
            store.tryConsume(key(tenPerMinute, i), 1);
        }
        BucketKey attacker = key(tenPerMinute, 0);
        for (int i = 0; i < 15; i++) {
            store.tryConsume(attacker, 1);
        }
        for (int i = 101; i <= 300; i++) {
            store.tryConsume(key(tenPerMinute, i), 1);
            store.cleanUp();
        }
        // still the drained bucket, not a fresh one with 10 tokens
        assertThat(Consumption.isAllowed(store.tryConsume(attacker, 1))).isFalse();
        assertThat(store.forcedEvictions()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aBucketWhoseFullTimeSaturatesIsKeptOnANegativeClock() {
        java.util.concurrent.atomic.AtomicLong nanos =
                new java.util.concurrent.atomic.AtomicLong(-4_000_000_000_000_000_000L);
        dev.bulwark.core.TimeSource negative = new dev.bulwark.core.TimeSource() {
            @Override
            public long nanoTime() {
                return nanos.get();
            }

            @Override
            public java.time.Instant now() {
                return java.time.Instant.EPOCH;
            }
        };
        LocalBucketStore store = new LocalBucketStore(100, negative);
        BucketKey client = key(RateLimitPolicy.anonymous(Rate.parseList("1/366d;burst=1000000000")), 1);
        for (int i = 0; i < 400; i++) {
            store.tryConsume(client, 1);
        }
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        store.cleanUp();
        assertThat(store.trackedKeys()).isEqualTo(1);
        assertThat(Consumption.remaining(store.tryConsume(client, 1))).isEqualTo(1_000_000_000L - 401);
    }

    @Test
    void floodOfOneMillionDistinctKeysStaysWithinTheBound() {
        LocalBucketStore store = new LocalBucketStore(1000, time);
        BucketKey hot = key(hourly, 0);
        for (int i = 0; i < 1000; i++) {
            store.tryConsume(hot, 1);
        }
        long maxSeen = 0;
        for (int i = 1; i <= 1_000_000; i++) {
            store.tryConsume(key(hourly, i), 1);
            if (i % 100 == 0) {
                // the attacker's own drained bucket, used all along, must not be evicted to hand it a fresh one
                assertThat(Consumption.isAllowed(store.tryConsume(hot, 1))).isFalse();
            }
            if (i % 10_000 == 0) {
                store.cleanUp();
                maxSeen = Math.max(maxSeen, store.trackedKeys());
            }
        }
        store.cleanUp();
        assertThat(maxSeen).isLessThanOrEqualTo(1000);
        assertThat(store.trackedKeys()).isLessThanOrEqualTo(1000);
        assertThat(store.forcedEvictions()).isGreaterThanOrEqualTo(1_000_000 - 1000);
    }

    @Test
    void keysOfDifferentPoliciesAreDistinct() {
        LocalBucketStore store = new LocalBucketStore(100, time);
        RateLimitPolicy other = RateLimitPolicy.scope("other").rates("1/min").build();
        RateLimitPolicy one = RateLimitPolicy.scope("one").rates("1/min").build();
        IpAddress address = IpAddress.of("192.0.2.1");
        assertThat(Consumption.isAllowed(store.tryConsume(BucketKey.address(one, address), 1)))
                .isTrue();
        assertThat(Consumption.isAllowed(store.tryConsume(BucketKey.address(other, address), 1)))
                .isTrue();
        assertThat(Consumption.isAllowed(store.tryConsume(BucketKey.name(one, "192.0.2.1"), 1)))
                .isTrue();
        assertThat(Consumption.isAllowed(store.tryConsume(BucketKey.address(one, address), 1)))
                .isFalse();
        assertThat(BucketKey.address(one, address).text()).isEqualTo("one:ip:192.0.2.1");
        assertThat(BucketKey.address(one, IpAddress.of("2001:db8::1").prefix(64))
                        .text())
                .isEqualTo("one:ip:20010db8000000000000000000000000");
        assertThat(BucketKey.name(one, "alice").text()).isEqualTo("one:name:alice");
    }

    @Test
    void consumptionEncodingRoundTrips() {
        long allowed = Consumption.allowed(3, 998, 7);
        assertThat(Consumption.isAllowed(allowed)).isTrue();
        assertThat(Consumption.rateIndex(allowed)).isEqualTo(3);
        assertThat(Consumption.remaining(allowed)).isEqualTo(998);
        assertThat(Consumption.resetSeconds(allowed)).isEqualTo(7);
        assertThat(Consumption.waitNanos(allowed)).isZero();
        long rejected = Consumption.rejected(7, 1_500_000_000L);
        assertThat(Consumption.isAllowed(rejected)).isFalse();
        assertThat(Consumption.rateIndex(rejected)).isEqualTo(7);
        assertThat(Consumption.remaining(rejected)).isZero();
        assertThat(Consumption.waitNanos(rejected)).isEqualTo(1_500_000_000L);
        assertThat(Consumption.resetSeconds(rejected)).isEqualTo(2);
        assertThat(Consumption.remaining(Consumption.allowed(0, Long.MAX_VALUE, Long.MAX_VALUE)))
                .isEqualTo((1L << 38) - 1);
        assertThat(Consumption.ceilSeconds(1)).isEqualTo(1);
        assertThat(Consumption.ceilSeconds(1_000_000_000L)).isEqualTo(1);
        assertThat(Consumption.ceilSeconds(1_000_000_001L)).isEqualTo(2);
    }

    @Test
    void boundMustBePositive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BucketStore.local(0))
                .withMessage("max tracked keys must be at least 1: 0");
    }
}
