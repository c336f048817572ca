package dev.bulwark.benchmarks;

import dev.bulwark.core.cors.Cors;
import dev.bulwark.servlet.CorsFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
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
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * One CORS decision per operation, written to the response: Bulwark's {@link CorsFilter} against Spring's {@code
 * org.springframework.web.filter.CorsFilter} ({@code DefaultCorsProcessor} + {@code CorsConfiguration}) configured
 * with the same policy on {@code /api/**}: origin {@code https://app.example.com}, methods GET/POST/DELETE, request
 * headers content-type and authorization, exposed {@code x-request-id}, credentials, max age 86 400.
 *
 * <p>{@code preflight} is an allowed {@code OPTIONS} preflight (Bulwark answers it from its preflight cache after the
 * first one); {@code actual} is an allowed cross-origin {@code GET}. Each operation gets a fresh Spring {@code
 * MockHttpServletResponse} (Spring's processor writes through {@code ServletServerHttpResponse} and flushes, which a
 * Tomcat connector response outside a running Tomcat cannot do). {@code setUp} fails the run unless both filters write
 * the same CORS headers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class CorsBenchmark {

    private static final FilterChain EMPTY_CHAIN = (request, response) -> {};
    private static final String ORIGIN = "https://app.example.com";

    @Param({"tomcat", "spring-mock"})
    public String response;

    private org.apache.coyote.Response coyoteResponse;
    private HttpServletResponse tomcatResponse;
    private MockHttpServletRequest preflight;
    private MockHttpServletRequest actual;
    private Filter bulwark;
    private Filter spring;

    @Setup
    public void setUp() throws ServletException, IOException {
        preflight = request("OPTIONS");
        preflight.addHeader("Access-Control-Request-Method", "DELETE");
        preflight.addHeader("Access-Control-Request-Headers", "content-type,authorization");
        actual = request("GET");

        coyoteResponse = new org.apache.coyote.Response();
        org.apache.catalina.connector.Response connectorResponse =
                new org.apache.catalina.connector.Response(coyoteResponse);
        // Spring's processor asks the response for its character encoding (which needs the request) and flushes it
        // (which needs a running connector): give it a request, and give both filters the same flush-ignoring wrapper
        connectorResponse.setRequest(new org.apache.catalina.connector.Request(
                new org.apache.catalina.connector.Connector(), new org.apache.coyote.Request()));
        tomcatResponse = new HttpServletResponseWrapper(connectorResponse.getResponse()) {
            @Override
            public void flushBuffer() {}
        };

        bulwark = new CorsFilter(Cors.builder()
                .mapping("api", List.of("/api/**"), policy -> policy.allowedOrigins(ORIGIN)
                        .allowedMethods("GET", "POST", "DELETE")
                        .allowedHeaders("content-type", "authorization")
                        .exposedHeaders("x-request-id")
                        .allowCredentials(true))
                .build());

        CorsConfiguration config = new CorsConfiguration();
        config.addAllowedOrigin(ORIGIN);
        config.setAllowedMethods(List.of("GET", "POST", "DELETE"));
        config.setAllowedHeaders(List.of("content-type", "authorization"));
        config.setExposedHeaders(List.of("x-request-id"));
        config.setAllowCredentials(true);
        config.setMaxAge(86_400L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", config);
        spring = new org.springframework.web.filter.CorsFilter(source);

        // Spring also sends Access-Control-Expose-Headers on preflights, where the Fetch standard ignores it
        check(preflightBulwark(), preflightSpring(), "preflight", "Access-Control-Expose-Headers");
        check(actualBulwark(), actualSpring(), "actual request");
    }

    private static MockHttpServletRequest request(String method) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/items");
        request.setServletPath("/api/items");
        request.setScheme("https");
        request.setServerName("api.example.com");
        request.setServerPort(443);
        request.setSecure(true);
        request.addHeader("Origin", ORIGIN);
        return request;
    }

    private static void check(HttpServletResponse bulwark, HttpServletResponse spring, String what, String... ignore) {
        TreeMap<String, String> a = corsHeaders(bulwark);
        TreeMap<String, String> b = corsHeaders(spring);
        for (String name : ignore) {
            a.remove(name);
            b.remove(name);
        }
        if (a.isEmpty() || !a.equals(b) || bulwark.getStatus() / 100 != spring.getStatus() / 100) {
            throw new IllegalStateException(what + ": Spring wrote " + spring.getStatus() + " " + b + " but Bulwark "
                    + bulwark.getStatus() + " " + a);
        }
    }

    /** The Access-Control-* headers, with list values compared as lower-case sets (order and spacing vary). */
    private static TreeMap<String, String> corsHeaders(HttpServletResponse response) {
        TreeMap<String, String> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : response.getHeaderNames()) {
            if (name.toLowerCase().startsWith("access-control-")) {
                List<String> parts = new ArrayList<>();
                for (String value : response.getHeaders(name)) {
                    for (String part : value.split(",")) {
                        parts.add(part.trim().toLowerCase());
                    }
                }
                parts.sort(null);
                result.put(name, String.join(",", parts));
            }
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

    /** Bulwark, allowed preflight (served from the preflight cache after the first). */
    @Benchmark
    public HttpServletResponse preflightBulwark() throws IOException, ServletException {
        HttpServletResponse r = newResponse();
        bulwark.doFilter(preflight, r, EMPTY_CHAIN);
        return r;
    }

    /** Spring's CorsFilter, allowed preflight. */
    @Benchmark
    public HttpServletResponse preflightSpring() throws IOException, ServletException {
        HttpServletResponse r = newResponse();
        spring.doFilter(preflight, r, EMPTY_CHAIN);
        return r;
    }

    /** Bulwark, allowed actual request. */
    @Benchmark
    public HttpServletResponse actualBulwark() throws IOException, ServletException {
        HttpServletResponse r = newResponse();
        bulwark.doFilter(actual, r, EMPTY_CHAIN);
        return r;
    }

    /** Spring's CorsFilter, allowed actual request. */
    @Benchmark
    public HttpServletResponse actualSpring() throws IOException, ServletException {
        HttpServletResponse r = newResponse();
        spring.doFilter(actual, r, EMPTY_CHAIN);
        return r;
    }
}
