package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the health benchmark honest: both endpoints report the same four probes up (no timing is asserted). */
class HealthBenchmarkTest {

    @Test
    void bothEndpointsReportTheFourProbesUp() throws Exception {
        HealthBenchmark benchmark = new HealthBenchmark();
        benchmark.probeMillis = 1;
        benchmark.setUp(); // throws when they disagree
        try {
            assertThat(benchmark.bulwarkEndpoint().getContentAsString()).isEqualTo("{\"status\":\"pass\"}");
            assertThat(benchmark.bulwarkEndpoint().getHeader("Cache-Control")).isEqualTo("no-store");
            assertThat(benchmark.actuatorEndpoint().getStatus().getCode()).isEqualTo("UP");
            assertThat(benchmark.bulwarkCachedEvaluateAndRender().statusCode()).isEqualTo(200);
        } finally {
            benchmark.tearDown();
        }
    }
}
