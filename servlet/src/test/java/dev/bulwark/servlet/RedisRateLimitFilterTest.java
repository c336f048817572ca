package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.core.ratelimit.redis.BreakerState;
import dev.bulwark.core.ratelimit.redis.FailureMode;
import dev.bulwark.core.ratelimit.redis.RedisBucketStore;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.EmbeddedRedis;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Redis store behind {@link RateLimitFilter} on real Jetty 12 and Tomcat 11 servers, against a real Redis that the
 * tests stop and restart: one limit shared by two servers, and what each failure mode answers on the wire while Redis
 * is gone and once it is back.
 */
class RedisRateLimitFilterTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    /** One "app node": its own limiter, Redis store (own Lettuce client) and server. */
    private record Node(TestServer server, RateLimiter limiter, RedisBucketStore store) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                limiter.close();
            }
        }

        Http.Response get() {
            return Http.get(server.uri("/api"));
        }
    }

    private static Node node(
            Container container,
            EmbeddedRedis redis,
            String prefix,
            String rates,
            UnaryOperator<RedisBucketStore.Builder> options) {
        RedisBucketStore store = options.apply(
                        RedisBucketStore.builder().uri(redis.uri()).keyPrefix(prefix))
                .build();
        RateLimiter limiter =
                RateLimiter.builder().anonymous(rates).store(store).build();
        TestServer server = TestServer.builder(container)
                .filter(
                        "/*",
                        new ClientIdentityFilter(ClientAddressResolver.builder().build()))
                .filter("/*", new RateLimitFilter(limiter))
                .servlet("/*", Servlets.handler((request, response) -> {
                    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                    response.setContentLength(body.length);
                    response.getOutputStream().write(body);
                }))
                .start();
        return new Node(server, limiter, store);
    }

    private static String prefix() {
        return "bulwark:servlet-test:" + ProcessHandle.current().pid() + ":" + PREFIXES.incrementAndGet() + ":";
    }

    private static long remaining(Http.Response response) {
        String value = response.header("RateLimit").orElseThrow();
        int r = value.indexOf(";r=");
        return Long.parseLong(value.substring(r + 3, value.indexOf(';', r + 1)));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void twoServersShareOneLimitThroughRedis(Container container) {
        String prefix = prefix();
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                Node a = node(container, redis, prefix, "5/min", UnaryOperator.identity());
                Node b = node(container, redis, prefix, "5/min", UnaryOperator.identity())) {
            assertThat(remaining(a.get())).isEqualTo(4);
            assertThat(remaining(b.get())).isEqualTo(3);
            assertThat(remaining(a.get())).isEqualTo(2);
            assertThat(remaining(b.get())).isEqualTo(1);
            assertThat(remaining(a.get())).isZero();
            Http.Response rejected = b.get();
            assertThat(rejected.status()).isEqualTo(429);
            assertThat(rejected.header("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(11, 12));
            assertThat(rejected.header("RateLimit-Policy")).hasValue("\"anon\";q=5;w=60");
            assertThat(a.get().status()).isEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void failOpenServesEveryRequestThroughAnOutageAndSharingResumesAfterARestart(Container container) throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                Node node = node(container, redis, prefix(), "1000/hour", b -> b.timeout(Duration.ofMillis(100)))) {
            assertThat(remaining(node.get())).isEqualTo(999);
            assertThat(remaining(node.get())).isEqualTo(998);
            long fastest = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                fastest = Math.min(fastest, timed(node).millis);
            }
            long baseline = fastest;

            redis.stop();
            List<Long> outage = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Timed timed = timed(node);
                assertThat(timed.response.status()).isEqualTo(200);
                // failing open answers as a new bucket would
                assertThat(remaining(timed.response)).isEqualTo(999);
                outage.add(timed.millis);
            }
            // no request waited much longer than the 100 ms timeout, and once the breaker opened nothing waited
            assertThat(outage).allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(baseline + 250));
            assertThat(node.store().breakerState()).isEqualTo(BreakerState.OPEN);
            List<Long> open = outage.subList(20, 30);
            assertThat(open.stream().mapToLong(Long::longValue).sum() / open.size())
                    .isLessThanOrEqualTo(baseline + 25);

            redis.restart();
            long restarted = System.nanoTime();
            long shared = -1;
            while (System.nanoTime() - restarted < TimeUnit.SECONDS.toNanos(8)) {
                Http.Response response = node.get();
                assertThat(response.status()).isEqualTo(200);
                if (remaining(response) < 999) {
                    shared = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(shared).as("ms until limits were counted in Redis again").isBetween(0L, 5000L);
            assertThat(node.store().stats().breakerClosed()).isEqualTo(1);
        }
    }

    private record Timed(Http.Response response, long millis) {}

    private static Timed timed(Node node) {
        long start = System.nanoTime();
        Http.Response response = node.get();
        return new Timed(response, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void failClosedAnswers503WithRetryAfterWhileRedisIsDown(Container container) {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                Node node = node(container, redis, prefix(), "1000/hour", b -> b.failureMode(FailureMode.CLOSED))) {
            assertThat(node.get().status()).isEqualTo(200);
            redis.stop();
            for (int i = 0; i < 8; i++) {
                Http.Response refused = node.get();
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After"))
                        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
                assertThat(refused.header("Content-Type")).hasValue("application/problem+json");
                assertThat(refused.body())
                        .startsWith("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void failLocalKeepsEnforcingTheLimitsInMemory(Container container) {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                Node node = node(container, redis, prefix(), "3/min", b -> b.failureMode(FailureMode.LOCAL))) {
            assertThat(remaining(node.get())).isEqualTo(2);
            redis.stop();
            // the local fallback starts with full buckets, and enforces the same rate
            assertThat(node.get().status()).isEqualTo(200);
            assertThat(node.get().status()).isEqualTo(200);
            assertThat(node.get().status()).isEqualTo(200);
            Http.Response rejected = node.get();
            assertThat(rejected.status()).isEqualTo(429);
            assertThat(rejected.header("Retry-After")).isPresent();
            assertThat(node.store().trackedKeys()).isEqualTo(1);
        }
    }
}
