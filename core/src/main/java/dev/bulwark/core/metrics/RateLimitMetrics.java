package dev.bulwark.core.metrics;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.ratelimit.BucketStore;
import dev.bulwark.core.ratelimit.RateLimitListener;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Records rate-limit decisions and store size in Micrometer.
 *
 * <p>Safe for concurrent use. Pass it to {@link RateLimiter.Builder#listener(RateLimitListener)} to count decisions,
 * then call {@link #monitor(RateLimiter)} once the limiter is built to publish the store's gauges:
 *
 * <pre>{@code
 * RateLimitMetrics metrics = new RateLimitMetrics(registry);
 * RateLimiter limiter = RateLimiter.builder().anonymous("1000/hour").listener(metrics).build();
 * metrics.monitor(limiter);
 * }</pre>
 *
 * <p>Meters, tagged by policy name and outcome only (never by client, whose values are unbounded):
 *
 * <ul>
 *   <li>{@code bulwark.ratelimit.decisions} (counter): {@code policy}, {@code outcome} = {@code allowed},
 *       {@code rejected} or {@code dry_run_rejected} (a request dry-run mode let through);
 *   <li>{@code bulwark.ratelimit.tracked.keys} (gauge): buckets held by the store;
 *   <li>{@code bulwark.ratelimit.evictions} (function counter): buckets dropped early because the store was full.
 * </ul>
 */
public final class RateLimitMetrics implements RateLimitListener {

    private final MeterRegistry registry;
    private final Tags tags;
    private final ConcurrentMap<RateLimitPolicy, Counter[]> counters = new ConcurrentHashMap<>();

    /** Creates a binder that registers meters in {@code registry}. */
    public RateLimitMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Creates a binder that registers meters in {@code registry}, with extra common tags. */
    public RateLimitMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = requireNonNull(registry, "registry");
        this.tags = Tags.of(requireNonNull(tags, "tags"));
    }

    @Override
    public void onAllowed(RateLimitPolicy policy, long cost) {
        countersOf(policy)[0].increment();
    }

    @Override
    public void onRejected(RateLimitPolicy policy, long waitNanos, boolean dryRun) {
        countersOf(policy)[dryRun ? 2 : 1].increment();
    }

    private Counter[] countersOf(RateLimitPolicy policy) {
        Counter[] found = counters.get(policy);
        return found != null ? found : counters.computeIfAbsent(policy, this::register);
    }

    private Counter[] register(RateLimitPolicy policy) {
        Counter[] result = new Counter[3];
        String[] outcomes = {"allowed", "rejected", "dry_run_rejected"};
        for (int i = 0; i < outcomes.length; i++) {
            result[i] = Counter.builder("bulwark.ratelimit.decisions")
                    .description("Rate-limit decisions by policy and outcome")
                    .tags(tags)
                    .tag("policy", policy.name())
                    .tag("outcome", outcomes[i])
                    .register(registry);
        }
        return result;
    }

    /**
     * Registers the store's gauges and pre-registers the decision counters of every policy, so dashboards show zeros
     * before the first request.
     */
    public void monitor(RateLimiter limiter) {
        requireNonNull(limiter, "limiter");
        limiter.policies().forEach(this::countersOf);
        BucketStore store = limiter.store();
        Gauge.builder("bulwark.ratelimit.tracked.keys", store, BucketStore::trackedKeys)
                .description("Rate-limit buckets currently held")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("bulwark.ratelimit.evictions", store, BucketStore::forcedEvictions)
                .description("Rate-limit buckets dropped before refilling because the store was full")
                .tags(tags)
                .register(registry);
    }

    @Override
    public String toString() {
        return "RateLimitMetrics[" + registry.getClass().getSimpleName() + "]";
    }
}
