package dev.bulwark.core.cors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Memoizes preflight decisions by (mapping, origin, method, raw {@code Access-Control-Request-Headers}, Private Network
 * request), storing only the shared, immutable {@link CorsDecision} with its pre-rendered header values.
 *
 * <p>Two levels, so that a lookup allocates nothing: a bounded Caffeine cache keyed by the {@code Origin} string
 * itself (a {@link String} needs no key object and caches its own hash), whose value is a small immutable array of
 * variants scanned linearly. A miss replaces that array with a copy holding one more variant (at most {@value
 * #MAX_VARIANTS} per origin, the oldest dropped first). The cache is bounded by weight, one unit per variant, so the
 * number of stored decisions never exceeds the configured maximum however many distinct origins arrive; callers bound
 * every key component before it gets here.
 *
 * <p>Safe for concurrent use; races between misses for the same key merely compute an equal decision twice.
 */
final class PreflightCache {

    /** The most variants (method, request headers, mapping) kept per origin. */
    static final int MAX_VARIANTS = 16;

    private final @Nullable Cache<String, Variant[]> cache;
    private final long maximumSize;
    private final int maxVariants;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * Creates a cache holding at most {@code maximumSize} decisions; 0 disables caching.
     *
     * @param executor runs Caffeine's maintenance; tests pass {@code Runnable::run}
     */
    PreflightCache(long maximumSize, Executor executor) {
        this.maximumSize = maximumSize;
        this.maxVariants = (int) Math.max(1, Math.min(MAX_VARIANTS, maximumSize));
        this.cache = maximumSize == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumWeight(maximumSize)
                        .weigher((String origin, Variant[] variants) -> variants.length)
                        .executor(executor)
                        .build();
    }

    /** One memoized decision for an origin. */
    record Variant(
            int mapping,
            String method,
            @Nullable String requestHeaders,
            boolean privateNetwork,
            CorsDecision decision) {

        boolean matches(int mapping, String method, @Nullable String requestHeaders, boolean privateNetwork) {
            return this.mapping == mapping
                    && this.privateNetwork == privateNetwork
                    && this.method.equals(method)
                    && Objects.equals(this.requestHeaders, requestHeaders);
        }
    }

    /** Returns the memoized decision, or {@code null}; counts a hit or a miss. Allocates nothing. */
    @Nullable
    CorsDecision get(
            int mapping, String origin, String method, @Nullable String requestHeaders, boolean privateNetwork) {
        Cache<String, Variant[]> c = cache;
        if (c == null) {
            return null;
        }
        Variant[] variants = c.getIfPresent(origin);
        if (variants != null) {
            for (Variant v : variants) {
                if (v.matches(mapping, method, requestHeaders, privateNetwork)) {
                    hits.increment();
                    return v.decision();
                }
            }
        }
        misses.increment();
        return null;
    }

    /** Memoizes a decision. */
    void put(
            int mapping,
            String origin,
            String method,
            @Nullable String requestHeaders,
            boolean privateNetwork,
            CorsDecision decision) {
        Cache<String, Variant[]> c = cache;
        if (c == null) {
            return;
        }
        Variant added = new Variant(mapping, method, requestHeaders, privateNetwork, decision);
        c.asMap().compute(origin, (key, old) -> {
            if (old == null) {
                return new Variant[] {added};
            }
            for (Variant v : old) {
                if (v.matches(mapping, method, requestHeaders, privateNetwork)) {
                    return old; // another thread was first
                }
            }
            int keep = Math.min(old.length, maxVariants - 1);
            Variant[] next = Arrays.copyOfRange(old, old.length - keep, old.length + 1);
            next[keep] = added;
            return next;
        });
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    /** Returns the number of decisions held (the cache's weighted size). */
    long size() {
        Cache<String, Variant[]> c = cache;
        if (c == null) {
            return 0;
        }
        return c.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    long maximumSize() {
        return maximumSize;
    }

    /** Runs pending maintenance (evictions) now. */
    void cleanUp() {
        Cache<String, Variant[]> c = cache;
        if (c != null) {
            c.cleanUp();
        }
    }
}
