package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.ratelimit.RateLimitHeaderStyle;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Pipelined;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bulwark's rate-limit filter on real Jetty 12 and Tomcat 11, asserted on the wire. */
class RateLimitFilterTest {

    /** Stands in for an authentication filter: {@code X-Test-User: alice} authenticates as alice. */
    static final class TestAuthentication extends HttpFilter {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            String user = request.getHeader("X-Test-User");
            if (user == null) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(
                    new HttpServletRequestWrapper(request) {
                        @Override
                        public Principal getUserPrincipal() {
                            return () -> user;
                        }
                    },
                    response);
        }
    }

    private static TestServer start(
            Container container, List<String> trustedProxies, RateLimiter limiter, AtomicInteger appCalls) {
        ClientAddressResolver resolver =
                ClientAddressResolver.builder().trustedProxies(trustedProxies).build();
        HttpServlet app = Servlets.handler((request, response) -> {
            appCalls.incrementAndGet();
            // read the request body, as an application does: a container closes a connection whose body was left
            // unread, and the client's next POST on that pooled connection would fail (a POST is not retried)
            request.getInputStream().readAllBytes();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        });
        return TestServer.builder(container)
                .filter("/*", new ClientIdentityFilter(resolver))
                .filter("/*", new TestAuthentication())
                .filter("/*", new RateLimitFilter(limiter))
                .servlet("/*", app)
                .start();
    }

    private static Http.Response get(TestServer server, String path, Map<String, String> headers) {
        return Http.send("GET", server.uri(path), headers, null);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void rejectionCarriesRetryAfterHeadersAndProblemDocumentAndSkipsTheApp(Container container) {
        AtomicInteger calls = new AtomicInteger();
        RateLimiter limiter = RateLimiter.builder()
                .anonymous("2/min")
                .headers(RateLimitHeaderStyle.BOTH)
                .build();
        try (TestServer server = start(container, List.of(), limiter, calls)) {
            Http.Response first = get(server, "/api", Map.of());
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("RateLimit-Policy")).hasValue("\"anon\";q=2;w=60");
            assertThat(first.header("RateLimit")).hasValue("\"anon\";r=1;t=30");
            assertThat(first.header("X-RateLimit-Limit")).hasValue("2");
            assertThat(first.header("X-RateLimit-Remaining")).hasValue("1");
            assertThat(first.header("X-RateLimit-Reset")).hasValue("30");
            assertThat(get(server, "/api", Map.of()).status()).isEqualTo(200);

            Http.Response rejected = get(server, "/api", Map.of());
            assertThat(rejected.status()).isEqualTo(429);
            assertThat(rejected.header("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(29, 30));
            assertThat(rejected.header("Content-Type")).hasValue("application/problem+json");
            assertThat(rejected.header("RateLimit"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("\"anon\";r=0;t="));
            assertThat(rejected.header("X-RateLimit-Remaining")).hasValue("0");
            assertThat(rejected.body())
                    .startsWith("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,")
                    .contains("\"policy\":\"anon\"");
            assertThat(calls).hasValue(2);

            // health endpoints and CORS preflights stay reachable
            assertThat(get(server, "/health/ready", Map.of()).status()).isEqualTo(200);
            assertThat(Http.send(
                                    "OPTIONS",
                                    server.uri("/api"),
                                    Map.of(
                                            "Origin", "https://app.example.com",
                                            "Access-Control-Request-Method", "PUT"),
                                    null)
                            .status())
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void anonymousAndAuthenticatedRequestsAreCountedSeparately(Container container) {
        AtomicInteger calls = new AtomicInteger();
        RateLimiter limiter =
                RateLimiter.builder().anonymous("2/min").authenticated("3/min").build();
        try (TestServer server = start(container, List.of(), limiter, calls)) {
            for (int i = 0; i < 3; i++) {
                Http.Response alice = get(server, "/api", Map.of("X-Test-User", "alice"));
                assertThat(alice.status()).isEqualTo(200);
                assertThat(alice.header("RateLimit-Policy")).hasValue("\"user\";q=3;w=60");
            }
            assertThat(get(server, "/api", Map.of("X-Test-User", "alice")).status())
                    .isEqualTo(429);
            assertThat(get(server, "/api", Map.of("X-Test-User", "bob")).status())
                    .isEqualTo(200);
            // the same address, anonymous: its own bucket
            assertThat(get(server, "/api", Map.of()).status()).isEqualTo(200);
            assertThat(get(server, "/api", Map.of()).status()).isEqualTo(200);
            assertThat(get(server, "/api", Map.of()).status()).isEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void spoofedForwardedHeadersFromAnUntrustedPeerCannotChangeTheKey(Container container) {
        AtomicInteger calls = new AtomicInteger();
        RateLimiter limiter = RateLimiter.builder().anonymous("100/hour").build();
        try (TestServer server = start(container, List.of(), limiter, calls)) {
            SplittableRandom random = new SplittableRandom(42);
            String[] chains = new String[10_000];
            for (int i = 0; i < chains.length; i++) {
                chains[i] = randomAddress(random) + ", " + randomAddress(random);
            }
            Map<Integer, Integer> statuses = Pipelined.send(
                    server.port(),
                    10_000,
                    2,
                    i -> "GET /api HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + chains[i]
                            + "\r\nForwarded: for=" + chains[i].substring(0, chains[i].indexOf(','))
                            + "\r\nX-Real-IP: " + chains[i].substring(0, chains[i].indexOf(',')) + "\r\n\r\n");
            assertThat(statuses).isEqualTo(Map.of(200, 100, 429, 9_900));
            assertThat(calls).hasValue(100);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void behindATrustedProxyTheRealClientIsLimitedAndIpv6GroupsBySlash64(Container container) {
        AtomicInteger calls = new AtomicInteger();
        RateLimiter limiter = RateLimiter.builder().anonymous("2/min").build();
        try (TestServer server = start(container, List.of("127.0.0.1", "::1"), limiter, calls)) {
            Map<String, String> clientA = Map.of("X-Forwarded-For", "198.51.100.1");
            Map<String, String> clientB = Map.of("X-Forwarded-For", "198.51.100.2");
            assertThat(get(server, "/api", clientA).status()).isEqualTo(200);
            assertThat(get(server, "/api", clientA).status()).isEqualTo(200);
            assertThat(get(server, "/api", clientA).status()).isEqualTo(429);
            assertThat(get(server, "/api", clientB).status()).isEqualTo(200);
            // a client spoofing a left-most entry through the proxy is still itself
            assertThat(get(server, "/api", Map.of("X-Forwarded-For", "203.0.113.50, 198.51.100.1"))
                            .status())
                    .isEqualTo(429);

            for (String address : List.of("2001:db8:aa:1::1", "2001:db8:aa:1:ffff::2")) {
                assertThat(get(server, "/api", Map.of("X-Forwarded-For", address))
                                .status())
                        .isEqualTo(200);
            }
            assertThat(get(server, "/api", Map.of("X-Forwarded-For", "2001:db8:aa:1:1234:5678:9abc:def0"))
                            .status())
                    .isEqualTo(429);
            assertThat(get(server, "/api", Map.of("X-Forwarded-For", "2001:db8:aa:2::1"))
                            .status())
                    .isEqualTo(200);
            // IPv4-mapped IPv6 is the IPv4 client
            assertThat(get(server, "/api", Map.of("X-Forwarded-For", "::ffff:198.51.100.2"))
                            .status())
                    .isEqualTo(200);
            assertThat(get(server, "/api", Map.of("X-Forwarded-For", "198.51.100.2"))
                            .status())
                    .isEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aScopeLimitsOneEndpointByMethod(Container container) {
        AtomicInteger calls = new AtomicInteger();
        RateLimiter limiter = RateLimiter.builder()
                .anonymous("100/min")
                .scope(RateLimitPolicy.scope("login")
                        .rates("2/min")
                        .paths("/login")
                        .methods("POST"))
                .build();
        try (TestServer server = start(container, List.of(), limiter, calls)) {
            for (int i = 0; i < 2; i++) {
                assertThat(Http.send("POST", server.uri("/login"), Map.of(), "u=a")
                                .status())
                        .isEqualTo(200);
            }
            Http.Response third = Http.send("POST", server.uri("/login"), Map.of(), "u=a");
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.header("Retry-After")).hasValue("30");
            assertThat(third.body()).contains("\"policy\":\"login\"");
            assertThat(get(server, "/login", Map.of()).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aFloodOfOneMillionDistinctClientsKeepsTheStoreAtItsBound(Container container) {
        AtomicInteger calls = new AtomicInteger();
        RateLimiter limiter = RateLimiter.builder()
                .anonymous("10/hour")
                .maxTrackedKeys(1_000)
                .headers(RateLimitHeaderStyle.NONE)
                .build();
        try (TestServer server = start(container, List.of("127.0.0.1"), limiter, calls)) {
            Map<Integer, Integer> statuses = Pipelined.send(
                    server.port(),
                    1_000_000,
                    2,
                    i -> "GET /a HTTP/1.1\r\nHost: l\r\nX-Forwarded-For: 10." + ((i >>> 16) & 0xff) + "."
                            + ((i >>> 8) & 0xff) + "." + (i & 0xff) + "\r\n\r\n");
            assertThat(statuses).isEqualTo(Map.of(200, 1_000_000));
            assertThat(limiter.store().trackedKeys()).isLessThanOrEqualTo(1_000);
            assertThat(limiter.store().forcedEvictions()).isGreaterThanOrEqualTo(999_000);
        }
    }

    private static String randomAddress(SplittableRandom random) {
        if (random.nextBoolean()) {
            return random.nextInt(1, 224) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256);
        }
        return "2001:db8:" + Integer.toHexString(random.nextInt(0x10000)) + "::"
                + Integer.toHexString(random.nextInt(0x10000));
    }
}
