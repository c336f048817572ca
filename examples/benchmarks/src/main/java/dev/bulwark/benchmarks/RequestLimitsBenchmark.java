package dev.bulwark.benchmarks;

import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.core.metrics.RequestMetrics;
import dev.bulwark.servlet.OverloadProtectionFilter;
import dev.bulwark.servlet.RequestLimitsFilter;
import dev.bulwark.servlet.RequestMetricsFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of the request guards, each around an empty chain, on Tomcat 11's real connector request
 * (eleven browser-like header lines) and response:
 *
 * <ul>
 *   <li>{@code baseline}: the empty chain alone;
 *   <li>{@code limitsGet}: {@link RequestLimitsFilter} (default limits) on {@code GET /api/items/42?page=2}: URL
 *       length, the header count and size scan, the query's fields; no wrapper;
 *   <li>{@code limitsPostWithLength}: the same on a {@code POST} with a 512-byte JSON body declared by {@code
 *       Content-Length} (one more check; still no wrapper);
 *   <li>{@code limitsChunkedPost}: a {@code POST} without a length: the request is wrapped so its body can be
 *       counted (nothing is read here);
 *   <li>{@code overload}: {@link OverloadProtectionFilter} with a concurrency limit of 1000 and the slow-request log:
 *       exemption check, acquire, release, timing;
 *   <li>{@code metrics}: {@link RequestMetricsFilter} reporting to {@code RequestMetrics} on a {@code
 *       SimpleMeterRegistry}: route resolution and a histogram update;
 *   <li>{@code headerEnumeration}: no Bulwark code: walking the header lines through the servlet API ({@code
 *       getHeaderNames()}, {@code getHeaders(name)}), as the header limits must, to show what that costs on Tomcat.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestLimitsBenchmark {

    private static final FilterChain EMPTY_CHAIN = (request, response) -> {};

    private TomcatExchange get;
    private TomcatExchange post;
    private TomcatExchange chunked;
    private RequestLimitsFilter limits;
    private OverloadProtectionFilter overload;
    private RequestMetricsFilter metrics;

    @Setup
    public void setUp() {
        get = new TomcatExchange("GET", -1);
        post = new TomcatExchange("POST", 512);
        chunked = new TomcatExchange("POST", -1);
        chunked.coyoteRequest.getMimeHeaders().addValue("Transfer-Encoding").setString("chunked");
        limits = new RequestLimitsFilter(RequestLimits.defaults());
        overload = new OverloadProtectionFilter(
                ConcurrencyLimiter.builder().maxConcurrent(1000).build(), Duration.ofSeconds(120));
        metrics = new RequestMetricsFilter(new RequestMetrics(new SimpleMeterRegistry()), List.of("/api/items/*"));
    }

    private static HttpServletResponse run(jakarta.servlet.Filter filter, TomcatExchange exchange)
            throws IOException, ServletException {
        exchange.recycleResponse();
        HttpServletRequest request = exchange.servletRequest();
        HttpServletResponse response = exchange.servletResponse();
        filter.doFilter(request, response, EMPTY_CHAIN);
        return response;
    }

    @Benchmark
    public HttpServletResponse baseline() throws IOException, ServletException {
        get.recycleResponse();
        HttpServletResponse response = get.servletResponse();
        EMPTY_CHAIN.doFilter(get.servletRequest(), response);
        return response;
    }

    @Benchmark
    public HttpServletResponse limitsGet() throws IOException, ServletException {
        return run(limits, get);
    }

    @Benchmark
    public HttpServletResponse limitsPostWithLength() throws IOException, ServletException {
        return run(limits, post);
    }

    @Benchmark
    public HttpServletResponse limitsChunkedPost() throws IOException, ServletException {
        return run(limits, chunked);
    }

    @Benchmark
    public HttpServletResponse overload() throws IOException, ServletException {
        return run(overload, get);
    }

    @Benchmark
    public long headerEnumeration() {
        HttpServletRequest request = get.servletRequest();
        long size = 0;
        java.util.Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            java.util.Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                size += name.length() + values.nextElement().length() + 4L;
            }
        }
        return size;
    }

    @Benchmark
    public HttpServletResponse metrics() throws IOException, ServletException {
        return run(metrics, get);
    }
}
