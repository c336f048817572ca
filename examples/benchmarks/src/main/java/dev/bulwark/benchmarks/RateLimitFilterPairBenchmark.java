package dev.bulwark.benchmarks;

import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.servlet.RateLimitFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Bulwark's and Tomcat's rate-limit filters measured at the same moment: one JMH group runs both, one thread each, so
 * that both meet the same machine (on a shared VM, forks of one benchmark run minutes apart differ by up to 2×, which
 * hides a 20 % difference between two benchmarks run one after the other). Each thread has its own clients, filter,
 * request and response, set up exactly as in {@link RateLimitBenchmark}: every one of {@code keys} clients already
 * tracked, a uniformly random client per operation, limits that never reject, IETF headers written by both.
 *
 * <p>JMH reports each filter as a secondary result of the {@code filters} group ({@code filters:bulwark} and
 * {@code filters:tomcat}). Both sides pay the same harness (setting the address, clearing Tomcat's count attribute,
 * recycling the response), which {@link RateLimitBenchmark#harness()} measures on its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class RateLimitFilterPairBenchmark {

    private static final FilterChain EMPTY_CHAIN = (request, response) -> {};

    @Param({"1", "10000", "1000000"})
    public int keys;

    /** One thread's clients, request and response; the filter is the subclass's. */
    abstract static class Side {
        String[] addresses;
        int[] sequence;
        int next;
        MockHttpServletRequest request;
        org.apache.coyote.Response coyoteResponse;
        HttpServletResponse response;
        Filter filter;

        void prepare(int keys, long seed) {
            addresses = RateLimitClients.addresses(keys);
            sequence = RateLimitClients.sequence(keys, RateLimitClients.SEQUENCE, seed);
            request = new MockHttpServletRequest("GET", "/api/items");
            request.setServletPath("/api/items");
            coyoteResponse = new org.apache.coyote.Response();
            response = new org.apache.catalina.connector.Response(coyoteResponse).getResponse();
        }

        /** Sends every client once, then checks that a request passes with rate-limit headers. */
        void track() throws ServletException, IOException {
            for (String address : addresses) {
                request.setRemoteAddr(address);
                request.removeAttribute(RateLimitClients.TOMCAT_COUNT);
                coyoteResponse.recycle();
                filter.doFilter(request, response, EMPTY_CHAIN);
            }
            HttpServletResponse checked = handle();
            if (checked.getStatus() != 200 || checked.getHeader("RateLimit-Policy") == null) {
                throw new IllegalStateException(filter + " rejected or wrote no headers: " + checked.getStatus());
            }
        }

        HttpServletResponse handle() throws ServletException, IOException {
            request.setRemoteAddr(addresses[sequence[next++ & (RateLimitClients.SEQUENCE - 1)]]);
            request.removeAttribute(RateLimitClients.TOMCAT_COUNT);
            coyoteResponse.recycle();
            filter.doFilter(request, response, EMPTY_CHAIN);
            return response;
        }
    }

    /** Bulwark's filter: capacity 10<sup>9</sup>, one token per 366 days, store bounded at twice the key count. */
    @State(Scope.Thread)
    public static class BulwarkSide extends Side {
        private RateLimiter limiter;

        @Setup(Level.Trial)
        public void setUp(RateLimitFilterPairBenchmark benchmark) throws ServletException, IOException {
            prepare(benchmark.keys, 7);
            limiter = RateLimitClients.bulwarkLimiter(benchmark.keys);
            filter = new RateLimitFilter(limiter);
            track();
            if (limiter.store().trackedKeys() != benchmark.keys) {
                throw new IllegalStateException("expected " + benchmark.keys + " tracked keys: "
                        + limiter.store().trackedKeys());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            limiter.close();
        }
    }

    /** Tomcat 11's filter: 10<sup>9</sup> requests per one-hour window, headers exposed. */
    @State(Scope.Thread)
    public static class TomcatSide extends Side {
        @Setup(Level.Trial)
        public void setUp(RateLimitFilterPairBenchmark benchmark) throws ServletException, IOException {
            prepare(benchmark.keys, 7);
            filter = RateLimitClients.tomcatFilter();
            track();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            filter.destroy();
        }
    }

    /** Bulwark's servlet filter, on its own thread. */
    @Benchmark
    @Group("filters")
    @GroupThreads(1)
    public HttpServletResponse bulwark(BulwarkSide side) throws ServletException, IOException {
        return side.handle();
    }

    /** Tomcat's filter, at the same time on the other thread. */
    @Benchmark
    @Group("filters")
    @GroupThreads(1)
    public HttpServletResponse tomcat(TomcatSide side) throws ServletException, IOException {
        return side.handle();
    }
}
