package dev.bulwark.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.FakeTimeSource;
import dev.bulwark.core.ratelimit.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RateLimitMetricsTest {

    @Test
    void countsDecisionsPerPolicyAndPublishesStoreGauges() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RateLimitMetrics metrics = new RateLimitMetrics(registry);
        FakeTimeSource time = new FakeTimeSource();
        RateLimiter limiter = RateLimiter.builder()
                .anonymous("2/min")
                .maxTrackedKeys(10)
                .timeSource(time)
                .listener(metrics)
                .build();
        metrics.monitor(limiter);
        assertThat(registry.get("bulwark.ratelimit.decisions")
                        .tag("policy", "anon")
                        .tag("outcome", "allowed")
                        .counter()
                        .count())
                .isZero();
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("anon", "192.0.2.1");
        }
        for (int i = 0; i < 30; i++) {
            limiter.tryAcquire("anon", "10.0.0." + i);
        }
        assertThat(registry.get("bulwark.ratelimit.decisions")
                        .tag("outcome", "allowed")
                        .counter()
                        .count())
                .isEqualTo(32);
        assertThat(registry.get("bulwark.ratelimit.decisions")
                        .tag("outcome", "rejected")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("bulwark.ratelimit.tracked.keys").gauge().value())
                .isLessThanOrEqualTo(10);
        assertThat(registry.get("bulwark.ratelimit.evictions").functionCounter().count())
                .isGreaterThanOrEqualTo(21);
        assertThat(registry.getMeters())
                .allSatisfy(meter -> assertThat(meter.getId().getTags())
                        .noneMatch(tag -> tag.getValue().contains("192.0.2.1")));
    }
}
