package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the CORS benchmark honest: both filters must write the same CORS headers (no timing is asserted). */
class CorsBenchmarkTest {

    @Test
    void bothFiltersWriteTheSameCorsHeaders() throws Exception {
        CorsBenchmark benchmark = new CorsBenchmark();
        benchmark.setUp(); // throws when they differ
        assertThat(benchmark.preflightBulwark().getHeader("Access-Control-Allow-Origin"))
                .isEqualTo("https://app.example.com");
        assertThat(benchmark.actualSpring().getHeader("Access-Control-Allow-Origin"))
                .isEqualTo("https://app.example.com");
    }
}
