package dev.bulwark.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ratelimit.BucketKey;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.redis.FailureMode;
import dev.bulwark.core.ratelimit.redis.RedisBucketStore;
import dev.bulwark.core.ratelimit.redis.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisStoreMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RateLimitPolicy policy =
            RateLimitPolicy.scope("metrics").rates("10/min").build();

    private double gauge(String state) {
        return registry.get("bulwark.ratelimit.redis.breaker.state")
                .tag("state", state)
                .gauge()
                .value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void decisionsThroughRedisAreCountedWithTheirRoundTrips() {
        try (TestRedis redis = TestRedis.start();
                RedisBucketStore store = RedisBucketStore.builder()
                        .uri(redis.uri())
                        .keyPrefix("bulwark:test:metrics:"
                                + ProcessHandle.current().pid() + ":")
                        .timeout(Duration.ofSeconds(1))
                        .build()) {
            new RedisStoreMetrics(store).bindTo(registry);
            for (int i = 0; i < 3; i++) {
                store.tryConsume(BucketKey.name(policy, "alice"), 1);
            }
            assertThat(gauge("closed")).isEqualTo(1);
            assertThat(gauge("open")).isZero();
            assertThat(gauge("half_open")).isZero();
            assertThat(counter("bulwark.ratelimit.redis.calls", "outcome", "success"))
                    .isEqualTo(3);
            assertThat(counter("bulwark.ratelimit.redis.calls", "outcome", "timeout"))
                    .isZero();
            // 3, or 4 when this Redis had not cached the script yet (NOSCRIPT, then EVAL)
            assertThat(counter("bulwark.ratelimit.redis.commands"))
                    .isEqualTo(3 + counter("bulwark.ratelimit.redis.script.loads"));
            assertThat(counter("bulwark.ratelimit.redis.fallbacks", "failure.mode", "open"))
                    .isZero();
        }
    }

    @Test
    void anUnreachableRedisShowsAnOpenBreakerAndCountsFallbacks() {
        try (RedisBucketStore store = RedisBucketStore.builder()
                .uri("redis://127.0.0.1:" + TestRedis.freePort())
                .failureMode(FailureMode.CLOSED)
                .build()) {
            new RedisStoreMetrics(store).bindTo(registry);
            store.tryConsume(BucketKey.name(policy, "alice"), 1);
            assertThat(gauge("open")).isEqualTo(1);
            assertThat(gauge("closed")).isZero();
            assertThat(counter("bulwark.ratelimit.redis.breaker.transitions", "from", "closed", "to", "open"))
                    .isEqualTo(1);
            assertThat(counter("bulwark.ratelimit.redis.breaker.transitions", "from", "half_open", "to", "closed"))
                    .isZero();
            assertThat(counter("bulwark.ratelimit.redis.fallbacks", "failure.mode", "closed"))
                    .isEqualTo(1);
        }
    }
}
