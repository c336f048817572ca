package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keeps the benchmark honest: both contenders must produce the same headers (no timing is asserted). */
class SecurityHeadersBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "spring-mock"})
    void bothFiltersProduceTheSameHeaders(String response) throws Exception {
        SecurityHeadersBenchmark benchmark = new SecurityHeadersBenchmark();
        benchmark.response = response;
        benchmark.setUp(); // throws when the header sets differ
        assertThat(benchmark.bulwark().getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(benchmark.springSecurity().getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(benchmark.baseline().getHeaderNames()).isEmpty();
    }
}
