package dev.bulwark.benchmarks;

import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.servlet.SecurityHeadersFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
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
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.CrossOriginOpenerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;

/**
 * Applies the default security header set to one secure request: Bulwark's {@link SecurityHeadersFilter} against
 * Spring Security's {@link HeaderWriterFilter} configured for exactly the same six headers and values
 * (HSTS {@code max-age=31536000; includeSubDomains}, nosniff, {@code DENY}, {@code same-origin} referrer policy,
 * {@code same-origin} COOP, {@code X-XSS-Protection: 0}).
 *
 * <p>Both run over Spring's {@code MockHttpServletRequest}/{@code Response} with an empty chain; each operation gets a
 * fresh response (as every real request does), and {@link #baseline()} measures that allocation alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class SecurityHeadersBenchmark {

    private static final FilterChain EMPTY_CHAIN = (request, response) -> {};

    private MockHttpServletRequest request;
    private SecurityHeadersFilter bulwark;
    private HeaderWriterFilter springSecurity;

    @Setup
    public void setUp() throws ServletException {
        request = new MockHttpServletRequest("GET", "/api/hello");
        request.setSecure(true);
        request.setScheme("https");
        request.setServerPort(443);
        request.setServletPath("/api/hello");

        bulwark = new SecurityHeadersFilter(SecurityHeadersPolicy.defaults());

        HstsHeaderWriter hsts = new HstsHeaderWriter(31_536_000L, true, false);
        XFrameOptionsHeaderWriter frameOptions =
                new XFrameOptionsHeaderWriter(XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY);
        ReferrerPolicyHeaderWriter referrer =
                new ReferrerPolicyHeaderWriter(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN);
        CrossOriginOpenerPolicyHeaderWriter coop = new CrossOriginOpenerPolicyHeaderWriter();
        coop.setPolicy(CrossOriginOpenerPolicyHeaderWriter.CrossOriginOpenerPolicy.SAME_ORIGIN);
        XXssProtectionHeaderWriter xss = new XXssProtectionHeaderWriter();
        xss.setHeaderValue(XXssProtectionHeaderWriter.HeaderValue.DISABLED);
        List<HeaderWriter> writers =
                List.of(hsts, new XContentTypeOptionsHeaderWriter(), frameOptions, referrer, coop, xss);
        springSecurity = new HeaderWriterFilter(writers);
        springSecurity.afterPropertiesSet();

        // both must produce the same headers, or the comparison is meaningless
        MockHttpServletResponse a = new MockHttpServletResponse();
        MockHttpServletResponse b = new MockHttpServletResponse();
        try {
            bulwark.doFilter(request, a, EMPTY_CHAIN);
            springSecurity.doFilter(request, b, EMPTY_CHAIN);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String name : b.getHeaderNames()) {
            if (!b.getHeaderValues(name).equals(a.getHeaderValues(name))) {
                throw new IllegalStateException("header " + name + " differs: Spring Security "
                        + b.getHeaderValues(name) + " vs Bulwark " + a.getHeaderValues(name));
            }
        }
        if (!a.getHeaderNames().equals(b.getHeaderNames())) {
            throw new IllegalStateException("header sets differ: " + a.getHeaderNames() + " vs " + b.getHeaderNames());
        }
    }

    /** A fresh response and the empty chain only: the floor under both filters. */
    @Benchmark
    public MockHttpServletResponse baseline() throws IOException, ServletException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        EMPTY_CHAIN.doFilter(request, response);
        return response;
    }

    /** Bulwark's security headers filter, default policy. */
    @Benchmark
    public MockHttpServletResponse bulwark() throws IOException, ServletException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        bulwark.doFilter(request, response, EMPTY_CHAIN);
        return response;
    }

    /** Spring Security's header writer filter, configured for the same headers. */
    @Benchmark
    public MockHttpServletResponse springSecurity() throws IOException, ServletException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        springSecurity.doFilter(request, response, EMPTY_CHAIN);
        return response;
    }
}
