package dev.bulwark.benchmarks;

import dev.bulwark.core.health.GroupResult;
import dev.bulwark.core.health.HealthDetails;
import dev.bulwark.core.health.HealthFormat;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.HealthResponse;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.servlet.HealthFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;
import org.springframework.boot.health.registry.DefaultReactiveHealthContributorRegistry;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Readiness with four slow dependencies, and the cost of a cached readiness request.
 *
 * <ul>
 *   <li>{@code bulwarkEndpoint}: {@code GET /health/ready} through Bulwark's {@link HealthFilter}, four probes each
 *       taking {@code probeMillis}, cache off: the probes run in parallel on the health pool.
 *   <li>{@code actuatorEndpoint}: Spring Boot 4's own {@link HealthEndpoint#health()} (the operation behind {@code
 *       /actuator/health}, its web layer left out) over four {@link HealthIndicator}s doing the same sleep: Actuator
 *       calls them one after the other.
 *   <li>{@code bulwarkCachedEvaluateAndRender}: {@link HealthRegistry#evaluate} within the cache TTL plus {@link
 *       HealthResponse#render}: the cost a load balancer's probe adds per request once the result is cached.
 *   <li>{@code bulwarkCachedEndpoint}: the same through the filter, on a Spring {@code MockHttpServletRequest} and a
 *       fresh {@code MockHttpServletResponse} per operation (the mock's own cost included).
 * </ul>
 *
 * <p>{@code setUp} fails the run unless both slow endpoints report the group up, so they always measure the same
 * work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HealthBenchmark {

    private static final FilterChain NOT_HEALTH = (request, response) -> {
        throw new IllegalStateException("not a health request: " + request);
    };

    @Param({"20"})
    public int probeMillis;

    private HealthRegistry uncached;
    private HealthRegistry cached;
    private HealthFilter uncachedFilter;
    private HealthFilter cachedFilter;
    private HealthEndpoint actuator;
    private MockHttpServletRequest ready;

    @Setup
    public void setUp() throws Exception {
        uncached = registry(Duration.ZERO);
        cached = registry(Duration.ofHours(1));
        uncachedFilter = HealthFilter.of(uncached);
        cachedFilter = HealthFilter.of(cached);

        DefaultHealthContributorRegistry contributors = new DefaultHealthContributorRegistry();
        for (int i = 1; i <= 4; i++) {
            contributors.registerContributor("dep" + i, (HealthIndicator) () -> {
                sleep();
                return Health.up().build();
            });
        }
        actuator = new HealthEndpoint(
                contributors,
                new DefaultReactiveHealthContributorRegistry(),
                HealthEndpointGroups.of(new AllMembers(), Map.of()),
                Duration.ofMinutes(1));

        ready = new MockHttpServletRequest("GET", "/health/ready");
        ready.setServletPath("/health/ready");

        if (bulwarkEndpoint().getStatus() != 200
                || !"{\"status\":\"pass\"}".equals(bulwarkCachedEndpoint().getContentAsString())
                || !"UP".equals(actuatorEndpoint().getStatus().getCode())) {
            throw new IllegalStateException("the contenders disagree");
        }
    }

    @TearDown
    public void tearDown() {
        uncached.close();
        cached.close();
    }

    private HealthRegistry registry(Duration ttl) {
        HealthRegistry.Builder builder = HealthRegistry.builder().cacheTtl(ttl);
        for (int i = 1; i <= 4; i++) {
            builder.probe(HealthProbe.builder("dep" + i, timeout -> {
                        sleep();
                        return ProbeResult.up();
                    })
                    .timeout(Duration.ofMillis(Math.max(500, probeMillis * 10L)))
                    .build());
        }
        HealthRegistry registry = builder.build();
        registry.lifecycle().markStarted();
        return registry;
    }

    private void sleep() {
        try {
            Thread.sleep(probeMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Benchmark
    public MockHttpServletResponse bulwarkEndpoint() throws ServletException, IOException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        uncachedFilter.doFilter(ready, response, NOT_HEALTH);
        return response;
    }

    @Benchmark
    public HealthDescriptor actuatorEndpoint() {
        return actuator.health();
    }

    @Benchmark
    public HealthResponse bulwarkCachedEvaluateAndRender() {
        GroupResult result = cached.evaluate(HealthRegistry.READINESS);
        return HealthResponse.render(result, HealthFormat.HEALTH_JSON, HealthDetails.NEVER);
    }

    @Benchmark
    public MockHttpServletResponse bulwarkCachedEndpoint() throws ServletException, IOException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        cachedFilter.doFilter(ready, response, NOT_HEALTH);
        return response;
    }

    /** Actuator's primary group as configured by default: every contributor, components shown, no details. */
    private static final class AllMembers implements HealthEndpointGroup {
        @Override
        public boolean isMember(String name) {
            return true;
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return true;
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return false;
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return StatusAggregator.getDefault();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return HttpCodeStatusMapper.DEFAULT;
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return null;
        }
    }
}
