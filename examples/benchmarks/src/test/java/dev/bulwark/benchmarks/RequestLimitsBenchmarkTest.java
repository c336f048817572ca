package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the request guard benchmark honest: every guarded request passes (no timing is asserted). */
class RequestLimitsBenchmarkTest {

    @Test
    void everyGuardLetsTheRequestThrough() throws Exception {
        RequestLimitsBenchmark benchmark = new RequestLimitsBenchmark();
        benchmark.setUp();
        assertThat(benchmark.baseline().getStatus()).isEqualTo(200);
        assertThat(benchmark.limitsGet().getStatus()).isEqualTo(200);
        assertThat(benchmark.limitsPostWithLength().getStatus()).isEqualTo(200);
        assertThat(benchmark.limitsChunkedPost().getStatus()).isEqualTo(200);
        assertThat(benchmark.overload().getStatus()).isEqualTo(200);
        assertThat(benchmark.metrics().getStatus()).isEqualTo(200);
        assertThat(benchmark.headerEnumeration()).isPositive();
    }
}
