package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keeps the CORS benchmark honest: both filters must write the same CORS headers (no timing is asserted). */
class CorsBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "spring-mock"})
    void bothFiltersWriteTheSameCorsHeaders(String response) throws Exception {
        CorsBenchmark benchmark = new CorsBenchmark();
        benchmark.response = response;
        benchmark.setUp(); // throws when they differ
        assertThat(benchmark.preflightBulwark().getHeader("Access-Control-Allow-Origin"))
                .isEqualTo("https://app.example.com");
        assertThat(benchmark.actualSpring().getHeader("Access-Control-Allow-Origin"))
                .isEqualTo("https://app.example.com");
    }
}
