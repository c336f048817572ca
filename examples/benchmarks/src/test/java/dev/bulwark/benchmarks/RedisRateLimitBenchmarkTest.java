package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ratelimit.Consumption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps the Redis benchmark honest: every contender answers (allowed decisions, a real value), and the Lua store costs
 * one command per decision (no timing is asserted).
 */
class RedisRateLimitBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"spread", "hot"})
    void everyContenderDecidesAgainstTheSameRedis(String keys) throws Exception {
        RedisRateLimitBenchmark benchmark = new RedisRateLimitBenchmark();
        benchmark.keys = keys;
        benchmark.setUp();
        try {
            RedisRateLimitBenchmark.Picker picker = new RedisRateLimitBenchmark.Picker();
            for (int i = 0; i < 50; i++) {
                assertThat(Consumption.isAllowed(benchmark.bulwarkLua(picker))).isTrue();
            }
            // after the warm-up (which cached the script): one EVALSHA per decision
            assertThat(benchmark.summary()).contains("decisions=50 round-trips=50 (GET 0, EVAL 0, EVALSHA 50)");
            for (int i = 0; i < 50; i++) {
                assertThat(benchmark.bucket4jCas(picker)).isTrue();
                assertThat(benchmark.lettuceGet(picker)).isEqualTo("1");
            }
            // one caller: no compare-and-swap conflict; the floor is one GET per call
            assertThat(benchmark.summary())
                    .contains("decisions=150 ")
                    .contains("cas-retries=0 failed=0 store-fallbacks=0");
        } finally {
            benchmark.close();
        }
    }
}
