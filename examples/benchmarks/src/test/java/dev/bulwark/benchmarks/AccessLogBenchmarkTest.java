package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the access log benchmark honest: Tomcat's valve and Bulwark must render the same line. */
class AccessLogBenchmarkTest {

    @Test
    void tomcatAndBulwarkRenderTheSameCombinedLine() throws Exception {
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        try {
            AccessLogBenchmark benchmark = new AccessLogBenchmark();
            benchmark.setUp(); // throws when the lines differ
            assertThat(AccessLogBenchmark.mask(benchmark.bulwarkFormat().toString()))
                    .isEqualTo("127.0.0.1 - - [time] \"GET /api/items/42?page=2 HTTP/1.1\" 200 1234"
                            + " \"https://app.example.com/items?page=2\""
                            + " \"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\"");
            assertThat(benchmark.tomcatValve()).isPositive();
            assertThat(benchmark.bulwarkLog()).isTrue();
            assertThat(benchmark.bulwarkJson().toString()).startsWith("{\"time\":\"2026-05-23T");
        } finally {
            java.util.TimeZone.setDefault(zone);
        }
    }
}
