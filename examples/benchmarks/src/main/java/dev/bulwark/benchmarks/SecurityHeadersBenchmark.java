package dev.bulwark.benchmarks;

import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.servlet.SecurityHeadersFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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
 * Spring Security's {@link HeaderWriterFilter} configured for exactly the same six headers and values (HSTS {@code
 * max-age=31536000; includeSubDomains}, nosniff, {@code DENY}, {@code same-origin} referrer policy, {@code
 * same-origin} COOP, {@code X-XSS-Protection: 0}), with an empty filter chain behind each.
 *
 * <p>Two response implementations, chosen by {@code @Param response}:
 *
 * <ul>
 *   <li>{@code tomcat}: Tomcat 11's real connector {@code Response} (through its facade), recycled per operation as
 *       Tomcat does between requests — what the filters meet in production;
 *   <li>{@code spring-mock}: Spring's {@code MockHttpServletResponse}, a fresh one per operation, whose
 *       case-insensitive header map dominates the cost of both filters.
 * </ul>
 *
 * {@link #baseline()} measures the response preparation alone. Both filters are checked to produce identical headers
 * before measuring.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class SecurityHeadersBenchmark {

    private static final FilterChain EMPTY_CHAIN = (request, response) -> {};

    @Param({"tomcat", "spring-mock"})
    public String response;

    private MockHttpServletRequest request;
    private SecurityHeadersFilter bulwark;
    private HeaderWriterFilter springSecurity;
    private org.apache.coyote.Response coyoteResponse;
    private HttpServletResponse tomcatResponse;

    @Setup
    public void setUp() throws ServletException, IOException {
        request = new MockHttpServletRequest("GET", "/api/hello");
        request.setSecure(true);
        request.setScheme("https");
        request.setServerPort(443);
        request.setServletPath("/api/hello");

        coyoteResponse = new org.apache.coyote.Response();
        org.apache.catalina.connector.Response connectorResponse =
                new org.apache.catalina.connector.Response(coyoteResponse);
        tomcatResponse = connectorResponse.getResponse();

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
        TreeMap<String, List<String>> expected = headers(springSecurity());
        TreeMap<String, List<String>> actual = headers(bulwark());
        if (expected.size() != 6 || !expected.equals(actual)) {
            throw new IllegalStateException("Spring Security wrote " + expected + " but Bulwark wrote " + actual);
        }
    }

    /** Header values by lower-case name, with the spacing around {@code ;} normalized. */
    private static TreeMap<String, List<String>> headers(HttpServletResponse response) {
        TreeMap<String, List<String>> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : response.getHeaderNames()) {
            List<String> values = new ArrayList<>();
            // Spring Security writes "max-age=31536000 ; includeSubDomains": same directives, other spacing
            response.getHeaders(name).forEach(v -> values.add(v.replaceAll("\\s*;\\s*", "; ")));
            result.put(name, values);
        }
        return result;
    }

    private HttpServletResponse newResponse() {
        if ("tomcat".equals(response)) {
            coyoteResponse.recycle();
            return tomcatResponse;
        }
        return new MockHttpServletResponse();
    }

    /** The response preparation and the empty chain only: the floor under both filters. */
    @Benchmark
    public HttpServletResponse baseline() throws IOException, ServletException {
        HttpServletResponse r = newResponse();
        EMPTY_CHAIN.doFilter(request, r);
        return r;
    }

    /** Bulwark's security headers filter, default policy. */
    @Benchmark
    public HttpServletResponse bulwark() throws IOException, ServletException {
        HttpServletResponse r = newResponse();
        bulwark.doFilter(request, r, EMPTY_CHAIN);
        return r;
    }

    /** Spring Security's header writer filter, configured for the same headers. */
    @Benchmark
    public HttpServletResponse springSecurity() throws IOException, ServletException {
        HttpServletResponse r = newResponse();
        springSecurity.doFilter(request, r, EMPTY_CHAIN);
        return r;
    }
}
