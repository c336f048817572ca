package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

/**
 * Keeps the rate-limit benchmarks honest: every contender runs, lets the request through and writes its headers, and
 * every client is tracked before measuring (no timing is asserted).
 */
class RateLimitBenchmarkTest {

    @Test
    void everyContenderDecidesAndTheFiltersWriteTheirHeaders() throws Exception {
        RateLimitBenchmark benchmark = new RateLimitBenchmark();
        benchmark.keys = 1000;
        benchmark.setUp(); // throws when a contender rejects, writes no header or a client is not tracked
        assertThat(benchmark.limiter().store().trackedKeys()).isEqualTo(1000);
        assertThat(benchmark.floor().isConsumed()).isTrue();
        assertThat(benchmark.bulwarkDecision().rejected()).isFalse();

        HttpServletResponse bulwark = benchmark.bulwarkFilter();
        assertThat(bulwark.getStatus()).isEqualTo(200);
        assertThat(bulwark.getHeader("RateLimit-Policy")).isEqualTo("\"anon\";q=1000000000;w=31622400");
        assertThat(bulwark.getHeader("RateLimit")).startsWith("\"anon\";r=");

        HttpServletResponse harness = benchmark.harness();
        assertThat(harness.getHeader("RateLimit"))
                .as("the harness clears the response")
                .isNull();

        HttpServletResponse tomcat = benchmark.tomcatFilter();
        assertThat(tomcat.getStatus()).isEqualTo(200);
        assertThat(tomcat.getHeader("RateLimit-Policy")).isNotNull();
    }

    @Test
    void bothSidesOfThePairTrackEveryClientAndPassRequests() throws Exception {
        RateLimitFilterPairBenchmark pair = new RateLimitFilterPairBenchmark();
        pair.keys = 500;
        RateLimitFilterPairBenchmark.BulwarkSide bulwarkSide = new RateLimitFilterPairBenchmark.BulwarkSide();
        RateLimitFilterPairBenchmark.TomcatSide tomcatSide = new RateLimitFilterPairBenchmark.TomcatSide();
        bulwarkSide.setUp(pair); // throws unless all 500 clients are tracked and a request passes with headers
        tomcatSide.setUp(pair);
        try {
            for (int i = 0; i < 2000; i++) {
                HttpServletResponse bulwark = pair.bulwark(bulwarkSide);
                assertThat(bulwark.getStatus()).isEqualTo(200);
                assertThat(bulwark.getHeader("RateLimit")).startsWith("\"anon\";r=");
                HttpServletResponse tomcat = pair.tomcat(tomcatSide);
                assertThat(tomcat.getStatus()).isEqualTo(200);
                assertThat(tomcat.getHeader("RateLimit")).isNotNull();
            }
        } finally {
            bulwarkSide.tearDown();
            tomcatSide.tearDown();
        }
    }
}
