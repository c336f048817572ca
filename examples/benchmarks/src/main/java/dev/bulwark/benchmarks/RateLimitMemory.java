package dev.bulwark.benchmarks;

import dev.bulwark.core.ratelimit.RateLimiter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heap per tracked key: fills each contender with one million distinct IPv4 clients and measures the retained heap
 * after full collections. Run with a fixed heap: {@code java -Xms2g -Xmx2g -cp target/benchmarks.jar
 * dev.bulwark.benchmarks.RateLimitMemory}.
 */
public final class RateLimitMemory {

    private static final int KEYS = 1_000_000;

    private RateLimitMemory() {}

    public static void main(String[] args) {
        String[] addresses = RateLimitClients.addresses(KEYS);
        long before = used();
        RateLimiter limiter = RateLimitClients.bulwarkLimiter(KEYS);
        for (String address : addresses) {
            limiter.tryAcquire("anon", address);
        }
        long bulwark = used() - before;
        System.out.printf(
                "Bulwark local store: %,d keys tracked, %.0f bytes per key%n",
                limiter.store().trackedKeys(), (double) bulwark / KEYS);
        limiter.close();
        limiter = null;

        before = used();
        ConcurrentHashMap<String, Bucket> floor = new ConcurrentHashMap<>();
        Bandwidth bandwidth = Bandwidth.builder()
                .capacity(1_000_000_000L)
                .refillGreedy(1, Duration.ofDays(366))
                .build();
        for (String address : addresses) {
            floor.computeIfAbsent(
                            address, k -> Bucket.builder().addLimit(bandwidth).build())
                    .tryConsume(1);
        }
        long floorBytes = used() - before;
        System.out.printf(
                "bucket4j on ConcurrentHashMap (key strings not counted, shared with the caller): %,d keys, %.0f bytes"
                        + " per key%n",
                floor.size(), (double) floorBytes / KEYS);
    }

    private static long used() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
