package dev.bulwark.core.metrics;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.ratelimit.redis.BreakerState;
import dev.bulwark.core.ratelimit.redis.RedisBucketStore;
import dev.bulwark.core.ratelimit.redis.RedisStoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link RedisBucketStore}'s circuit breaker and call counters in Micrometer.
 *
 * <p>Safe for concurrent use. Meters read the store's {@link RedisBucketStore#stats()} when scraped; nothing is
 * recorded on the request path. Bind it once the store is built:
 *
 * <pre>{@code
 * new RedisStoreMetrics(store).bindTo(registry);
 * }</pre>
 *
 * <p>Meters (tags are fixed values, never a client or a key):
 *
 * <ul>
 *   <li>{@code bulwark.ratelimit.redis.breaker.state} (gauge, 1 for the current state, 0 for the others):
 *       {@code state} = {@code closed}, {@code open} or {@code half_open};
 *   <li>{@code bulwark.ratelimit.redis.breaker.transitions} (function counter): {@code from}, {@code to} — closed→open
 *       (an outage detected), open→half_open (a probe), half_open→open (a failed probe), half_open→closed (recovered);
 *   <li>{@code bulwark.ratelimit.redis.calls} (function counter): {@code outcome} = {@code success}, {@code error} or
 *       {@code timeout};
 *   <li>{@code bulwark.ratelimit.redis.commands} (function counter): commands sent for decisions; divided by
 *       successful calls, the round trips per decision;
 *   <li>{@code bulwark.ratelimit.redis.script.loads} (function counter): full script sends after {@code NOSCRIPT};
 *   <li>{@code bulwark.ratelimit.redis.fallbacks} (function counter): decisions taken without Redis,
 *       {@code failure.mode} = {@code open}, {@code closed} or {@code local}.
 * </ul>
 */
public final class RedisStoreMetrics implements MeterBinder {

    private final RedisBucketStore store;
    private final Tags tags;

    /** Creates a binder for {@code store}. */
    public RedisStoreMetrics(RedisBucketStore store) {
        this(store, Tags.empty());
    }

    /** Creates a binder for {@code store}, with extra common tags. */
    public RedisStoreMetrics(RedisBucketStore store, Iterable<Tag> tags) {
        this.store = requireNonNull(store, "store");
        this.tags = Tags.of(requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        requireNonNull(registry, "registry");
        for (BreakerState state : BreakerState.values()) {
            Gauge.builder("bulwark.ratelimit.redis.breaker.state", store, s -> s.breakerState() == state ? 1 : 0)
                    .description("Circuit breaker of the Redis rate-limit store: 1 for the current state")
                    .tags(tags)
                    .tag("state", state.toString())
                    .register(registry);
        }
        transition(registry, "closed", "open", RedisStoreStats::breakerOpened);
        transition(registry, "open", "half_open", RedisStoreStats::breakerProbes);
        transition(registry, "half_open", "open", RedisStoreStats::breakerProbeFailures);
        transition(registry, "half_open", "closed", RedisStoreStats::breakerClosed);
        call(registry, "success", RedisStoreStats::decisions);
        call(registry, "error", RedisStoreStats::errors);
        call(registry, "timeout", RedisStoreStats::timeouts);
        counter(
                registry,
                "bulwark.ratelimit.redis.commands",
                "Commands sent to Redis for rate-limit decisions",
                RedisStoreStats::commands);
        counter(
                registry,
                "bulwark.ratelimit.redis.script.loads",
                "Full sends of the rate-limit script after NOSCRIPT",
                RedisStoreStats::scriptLoads);
        FunctionCounter.builder("bulwark.ratelimit.redis.fallbacks", store, stat(RedisStoreStats::fallbacks))
                .description("Rate-limit decisions taken without Redis, by the failure mode")
                .tags(tags)
                .tag("failure.mode", store.failureMode().toString())
                .register(registry);
    }

    private void transition(MeterRegistry registry, String from, String to, ToLong read) {
        FunctionCounter.builder("bulwark.ratelimit.redis.breaker.transitions", store, stat(read))
                .description("Circuit breaker transitions of the Redis rate-limit store")
                .tags(tags)
                .tag("from", from)
                .tag("to", to)
                .register(registry);
    }

    private void call(MeterRegistry registry, String outcome, ToLong read) {
        FunctionCounter.builder("bulwark.ratelimit.redis.calls", store, stat(read))
                .description("Rate-limit decisions sent to Redis, by outcome")
                .tags(tags)
                .tag("outcome", outcome)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToLong read) {
        FunctionCounter.builder(name, store, stat(read))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private static ToDoubleFunction<RedisBucketStore> stat(ToLong read) {
        return s -> read.applyAsLong(s.stats());
    }

    @FunctionalInterface
    private interface ToLong {
        long applyAsLong(RedisStoreStats stats);
    }

    @Override
    public String toString() {
        return "RedisStoreMetrics[" + store + "]";
    }
}
