package dev.bulwark.core.cors;

import static dev.bulwark.core.cors.Requests.preflight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.RequestView;
import dev.bulwark.core.ResponseHeaders;
import dev.bulwark.core.TestRequest;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PreflightCacheTest {

    private static Cors.Builder engine() {
        return Cors.builder().cacheExecutor(Runnable::run).defaultPolicy(p -> p.allowedOrigins(
                        "https://app.example.com", "https://*.example.com")
                .allowedMethods("GET", "PUT", "DELETE")
                .allowedHeaders("content-type", "x-trace-id")
                .allowCredentials(true));
    }

    @Test
    void floodOfDistinctOriginsKeepsTheCacheAtItsBound() {
        Cors cors = engine().preflightCacheSize(1_000).build();

        for (int i = 0; i < 100_000; i++) {
            cors.evaluate(new FixedPreflight("https://tenant" + i + ".example.com", "PUT", null));
        }
        cors.cleanUp();

        Cors.PreflightCacheStats stats = cors.preflightCacheStats();
        assertThat(stats.size()).isLessThanOrEqualTo(1_000).isPositive();
        assertThat(stats.maximumSize()).isEqualTo(1_000);
        assertThat(stats.misses()).isEqualTo(100_000);
        assertThat(stats.hits()).isZero();
    }

    @Test
    void floodOfRejectedOriginsAndHeaderVariantsIsBoundedToo() {
        Cors cors = engine().preflightCacheSize(500).build();

        for (int i = 0; i < 2_000; i++) {
            cors.evaluate(new FixedPreflight("https://evil" + i + ".example.net", "PUT", null));
            cors.evaluate(new FixedPreflight("https://app.example.com", "PUT", "x-h" + i)); // many variants
        }
        cors.cleanUp();

        assertThat(cors.preflightCacheStats().size()).isLessThanOrEqualTo(500);
        assertThat(cors.rejections().get(CorsDecision.Reason.ORIGIN_NOT_ALLOWED))
                .isEqualTo(2_000);
        assertThat(cors.rejections().get(CorsDecision.Reason.HEADER_NOT_ALLOWED))
                .isEqualTo(2_000);
    }

    @Test
    void defaultBoundIsTenThousand() {
        Cors cors = engine().build();

        for (int i = 0; i < 12_000; i++) {
            cors.evaluate(new FixedPreflight("https://t" + i + ".example.com", "GET", null));
        }
        cors.cleanUp();

        assertThat(cors.preflightCacheStats().maximumSize()).isEqualTo(10_000);
        assertThat(cors.preflightCacheStats().size()).isLessThanOrEqualTo(10_000);
    }

    @Test
    void repeatedPreflightIsAHitAndReturnsTheSharedDecision() {
        Cors cors = engine().build();

        CorsDecision first = cors.evaluate(preflight("https://app.example.com", "PUT", "content-type"));
        CorsDecision second = cors.evaluate(preflight("https://app.example.com", "PUT", "content-type"));
        CorsDecision third = cors.evaluate(preflight("https://app.example.com", "PUT", "content-type"));
        CorsDecision otherMethod = cors.evaluate(preflight("https://app.example.com", "DELETE", "content-type"));
        CorsDecision otherHeaders = cors.evaluate(preflight("https://app.example.com", "PUT", "x-trace-id"));

        assertThat(second).isSameAs(first);
        assertThat(third).isSameAs(first);
        assertThat(otherMethod).isNotSameAs(first);
        assertThat(otherHeaders.header("Access-Control-Allow-Headers")).isEqualTo("content-type, x-trace-id");
        Cors.PreflightCacheStats stats = cors.preflightCacheStats();
        assertThat(stats.hits()).isEqualTo(2);
        assertThat(stats.misses()).isEqualTo(3);
        assertThat(stats.size()).isEqualTo(3);
    }

    @Test
    void privateNetworkRequestIsPartOfTheKey() {
        Cors cors = Cors.builder()
                .cacheExecutor(Runnable::run)
                .defaultPolicy(p -> p.allowedOrigins("https://app.example.com").allowPrivateNetwork(true))
                .build();

        CorsDecision plain = cors.evaluate(preflight("https://app.example.com", "GET"));
        CorsDecision pna = cors.evaluate(
                preflight("https://app.example.com", "GET").header("Access-Control-Request-Private-Network", "true"));

        assertThat(plain.header("Access-Control-Allow-Private-Network")).isNull();
        assertThat(pna.header("Access-Control-Allow-Private-Network")).isEqualTo("true");
    }

    @Test
    void mappingIsPartOfTheKey() {
        Cors cors = Cors.builder()
                .cacheExecutor(Runnable::run)
                .mapping("open", List.of("/open/**"), p -> p.allowedOrigins("https://app.example.com"))
                .mapping("closed", List.of("/closed/**"), CorsPolicy.defaults())
                .build();
        TestRequest open = preflight("https://app.example.com", "GET").path("/open/x");
        TestRequest closed = preflight("https://app.example.com", "GET").path("/closed/x");

        assertThat(cors.evaluate(open).outcome()).isEqualTo(CorsDecision.Outcome.PREFLIGHT_OK);
        assertThat(cors.evaluate(closed).outcome()).isEqualTo(CorsDecision.Outcome.PREFLIGHT_REJECTED);
        assertThat(cors.evaluate(open).outcome()).isEqualTo(CorsDecision.Outcome.PREFLIGHT_OK);
    }

    static Stream<TestRequest> preflights() {
        return Stream.of(
                preflight("https://app.example.com", "PUT"),
                preflight("https://app.example.com", "PUT", "Content-Type, X-Trace-Id"),
                preflight("https://a.b.example.com", "DELETE", "content-type"),
                preflight("https://app.example.com", "PATCH"),
                preflight("https://app.example.com", "PUT", "authorization"),
                preflight("https://evil.example.net", "PUT"),
                preflight("https://app.example.com", "PUT", "a,,b"),
                preflight("https://app.example.com", "PUT").header("Access-Control-Request-Private-Network", "true"));
    }

    @ParameterizedTest
    @MethodSource("preflights")
    void cachedDecisionEqualsUncachedDecision(TestRequest request) {
        Cors cached = engine().build();
        Cors uncached = engine().preflightCacheSize(0).build();

        CorsDecision miss = cached.evaluate(request);
        CorsDecision hit = cached.evaluate(request);
        CorsDecision fresh = uncached.evaluate(request);

        assertThat(hit).isSameAs(miss);
        assertThat(hit.outcome()).isEqualTo(fresh.outcome());
        assertThat(hit.reason()).isEqualTo(fresh.reason());
        assertThat(hit.status()).isEqualTo(fresh.status());
        assertThat(hit.headers()).isEqualTo(fresh.headers());
        assertThat(hit.vary()).isEqualTo(fresh.vary());
        assertThat(cached.preflightCacheStats().hits()).isEqualTo(1);
        assertThat(uncached.preflightCacheStats()).isEqualTo(new Cors.PreflightCacheStats(0, 0, 0, 0));
    }

    @Test
    void cachedPreflightAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Cors cors = engine().build();
        RequestView request = new FixedPreflight("https://app.example.com", "PUT", "content-type,x-trace-id");
        ResponseHeaders response = new DiscardingHeaders();
        for (int i = 0; i < 20_000; i++) {
            cors.evaluate(request).writeTo(response);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            cors.evaluate(request).writeTo(response);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // a single small object per call would be 160 000+ bytes; allow for the measurement's own noise
        assertThat(allocated).isLessThan(4_096);
        assertThat(cors.preflightCacheStats().hits()).isEqualTo(29_999);
    }

    /** A preflight whose header lookups allocate nothing (unlike TestRequest, which lower-cases names). */
    private static final class FixedPreflight implements RequestView {
        private final String origin;
        private final String method;
        private final @Nullable String headers;

        FixedPreflight(String origin, String method, @Nullable String headers) {
            this.origin = origin;
            this.method = method;
            this.headers = headers;
        }

        @Override
        public String method() {
            return "OPTIONS";
        }

        @Override
        public String scheme() {
            return "https";
        }

        @Override
        public String host() {
            return "api.example.com";
        }

        @Override
        public int port() {
            return 443;
        }

        @Override
        public String path() {
            return "/api/items";
        }

        @Override
        public String requestUri() {
            return "/api/items";
        }

        @Override
        public @Nullable String query() {
            return null;
        }

        @Override
        public @Nullable String header(String name) {
            if (name.equalsIgnoreCase("Origin")) {
                return origin;
            }
            if (name.equalsIgnoreCase("Access-Control-Request-Method")) {
                return method;
            }
            if (name.equalsIgnoreCase("Access-Control-Request-Headers")) {
                return headers;
            }
            return null;
        }

        @Override
        public List<String> headers(String name) {
            String value = header(name);
            return value == null ? List.of() : List.of(value);
        }

        @Override
        public String peerAddress() {
            return "203.0.113.7";
        }

        @Override
        public @Nullable String principalName() {
            return null;
        }
    }

    /** A response sink that keeps nothing, so that only the engine's own allocations are measured. */
    private static final class DiscardingHeaders implements ResponseHeaders {
        int writes;

        @Override
        public boolean contains(String name) {
            return false;
        }

        @Override
        public @Nullable String get(String name) {
            return null;
        }

        @Override
        public void set(String name, String value) {
            writes++;
        }

        @Override
        public void add(String name, String value) {
            writes++;
        }
    }
}
