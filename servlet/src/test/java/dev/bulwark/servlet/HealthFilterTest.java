package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.headers.HttpsRedirect;
import dev.bulwark.core.health.GracefulShutdown;
import dev.bulwark.core.health.HealthDetails;
import dev.bulwark.core.health.HealthFormat;
import dev.bulwark.core.health.HealthLifecycle;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bulwark's health endpoints and graceful drain on real Jetty 12 and Tomcat 11, asserted on the wire. */
class HealthFilterTest {

    private static final String HEALTH_JSON = "application/health+json;charset=utf-8";

    private static HealthProbe probe(String name, long sleepMillis, AtomicInteger calls) {
        return HealthProbe.builder(name, timeout -> {
                    calls.incrementAndGet();
                    Thread.sleep(sleepMillis);
                    return ProbeResult.up();
                })
                .timeout(Duration.ofMillis(sleepMillis + 400))
                .build();
    }

    private static TestServer start(Container container, HealthFilter filter) {
        return TestServer.builder(container)
                .install(ctx -> Bulwark.install(
                        ctx, BulwarkConfig.builder().health(filter).build()))
                .servlet("/*", Servlets.text("app"))
                .start();
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void endpointsAnswerWithHealthJsonNoStoreAndHead(Container container) {
        try (HealthRegistry registry = HealthRegistry.builder()
                        .probe(HealthProbe.builder("db", t -> ProbeResult.up()).build())
                        .build();
                TestServer server = start(container, HealthFilter.of(registry))) {
            registry.lifecycle().markStarted();
            for (String path : List.of("/health/live", "/health/ready", "/health/started")) {
                Http.Response response = Http.get(server.uri(path));
                assertThat(response.status()).as(path).isEqualTo(200);
                assertThat(response.body()).as(path).isEqualTo("{\"status\":\"pass\"}");
                assertThat(response.header("Content-Type")).as(path).hasValue(HEALTH_JSON);
                assertThat(response.headers("Cache-Control")).as(path).containsExactly("no-store");
                // security headers run first, so health responses carry them too
                assertThat(response.headers("X-Content-Type-Options")).containsExactly("nosniff");
            }

            Http.RawResponse head = Http.raw(
                    server.port(),
                    Http.rawRequest("HEAD /health/ready HTTP/1.1", "Host: localhost", "Connection: close"));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers("Cache-Control")).containsExactly("no-store");
            assertThat(head.header("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v.toLowerCase()).isEqualTo(HEALTH_JSON));
            assertThat(head.body()).isEmpty();

            Http.Response post = Http.send("POST", server.uri("/health/ready"), Map.of(), "x");
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.header("Allow")).hasValue("GET, HEAD");

            // not a group: the application answers
            assertThat(Http.get(server.uri("/health/info")).body()).isEqualTo("app");
            assertThat(Http.get(server.uri("/health/ready/x")).body()).isEqualTo("app");
            assertThat(Http.get(server.uri("/health")).body()).isEqualTo("app");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void readinessAndStartupAre503UntilStartedWhileLivenessIsUp(Container container) {
        try (HealthRegistry registry = HealthRegistry.builder().build();
                TestServer server = start(container, HealthFilter.of(registry))) {
            assertThat(Http.get(server.uri("/health/live")).status()).isEqualTo(200);
            Http.Response ready = Http.get(server.uri("/health/ready"));
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"status\":\"fail\"}");
            assertThat(ready.headers("Cache-Control")).containsExactly("no-store");
            assertThat(Http.get(server.uri("/health/started")).status()).isEqualTo(503);

            registry.lifecycle().markStarted();

            assertThat(Http.get(server.uri("/health/ready")).status()).isEqualTo(200);
            assertThat(Http.get(server.uri("/health/started")).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void criticalFailureIs503NonCriticalIsWarnWithDetailsOnlyWhenConfigured(Container container) {
        HealthProbe cache = HealthProbe.builder("cache", t -> {
                    throw new java.net.ConnectException("Connection refused: cache.internal:6379");
                })
                .critical(false)
                .build();
        HealthProbe db = HealthProbe.builder("db", t -> ProbeResult.down("FATAL: password authentication failed"))
                .groups("db-only")
                .build();
        try (HealthRegistry registry =
                        HealthRegistry.builder().probe(cache).probe(db).build();
                TestServer server = TestServer.builder(container)
                        .install(ctx -> Bulwark.install(
                                ctx,
                                BulwarkConfig.builder()
                                        .health(HealthFilter.builder(registry)
                                                .basePath("/internal/health/")
                                                .details(HealthDetails.WHEN_AUTHORIZED)
                                                .authorizer(r -> "let-me-see".equals(r.getHeader("X-Ops-Token")))
                                                .build())
                                        .build()))
                        .servlet("/*", Servlets.text("app"))
                        .start()) {
            registry.lifecycle().markStarted();
            assertThat(Http.get(server.uri("/health/ready")).body()).isEqualTo("app");

            Http.Response warn = Http.get(server.uri("/internal/health/ready"));
            assertThat(warn.status()).isEqualTo(200);
            assertThat(warn.body()).isEqualTo("{\"status\":\"warn\"}");

            Http.Response down = Http.get(server.uri("/internal/health/db-only"));
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"fail\"}").doesNotContain("password");

            Http.Response authorized =
                    Http.send("GET", server.uri("/internal/health/db-only"), Map.of("X-Ops-Token", "let-me-see"), null);
            assertThat(authorized.status()).isEqualTo(503);
            assertThat(authorized.body())
                    .startsWith("{\"status\":\"fail\",\"checks\":{\"db:responseTime\":[{\"status\":\"fail\"")
                    .contains("FATAL: password authentication failed");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void minimalFormatAndChecksLevel(Container container) {
        try (HealthRegistry registry = HealthRegistry.builder()
                        .probe(HealthProbe.builder("db", t -> ProbeResult.down("secret host db-7.internal"))
                                .build())
                        .build();
                TestServer server = start(
                        container,
                        HealthFilter.builder(registry)
                                .format(HealthFormat.MINIMAL)
                                .build())) {
            registry.lifecycle().markStarted();
            Http.Response minimal = Http.get(server.uri("/health/ready"));
            assertThat(minimal.status()).isEqualTo(503);
            assertThat(minimal.body()).isEqualTo("{\"status\":\"DOWN\"}");
            assertThat(minimal.header("Content-Type")).hasValue("application/json;charset=utf-8");
        }
        try (HealthRegistry registry = HealthRegistry.builder()
                        .probe(HealthProbe.builder("db", t -> ProbeResult.down("secret host db-7.internal"))
                                .build())
                        .build();
                TestServer server = start(
                        container,
                        HealthFilter.builder(registry)
                                .details(HealthDetails.CHECKS)
                                .build())) {
            registry.lifecycle().markStarted();
            Http.Response checks = Http.get(server.uri("/health/ready"));
            assertThat(checks.body()).contains("\"db:responseTime\"").doesNotContain("secret");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void fourSlowProbesAnswerInAboutTheTimeOfOne(Container container) {
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry.Builder builder = HealthRegistry.builder().cacheTtl(Duration.ZERO);
        for (int i = 1; i <= 4; i++) {
            builder.probe(probe("dep" + i, 200, calls));
        }
        try (HealthRegistry registry = builder.build();
                TestServer server = start(container, HealthFilter.of(registry))) {
            registry.lifecycle().markStarted();
            Http.get(server.uri("/health/live")); // warm the connection and the container
            long start = System.nanoTime();
            Http.Response ready = Http.get(server.uri("/health/ready"));
            long elapsed = millisSince(start);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(calls).hasValue(4);
            assertThat(elapsed).as("four 200 ms probes in parallel").isBetween(190L, 600L);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void probeThatNeverReturnsDoesNotDelayTheEndpointBeyondItsTimeout(Container container) {
        CountDownLatch never = new CountDownLatch(1);
        HealthProbe hung = HealthProbe.builder("hung", t -> {
                    never.await();
                    return ProbeResult.up();
                })
                .timeout(Duration.ofMillis(300))
                .build();
        try (HealthRegistry registry = HealthRegistry.builder().probe(hung).build();
                TestServer server = start(container, HealthFilter.of(registry))) {
            registry.lifecycle().markStarted();
            Http.get(server.uri("/health/live"));
            long start = System.nanoTime();
            Http.Response ready = Http.get(server.uri("/health/ready"));
            long elapsed = millisSince(start);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(elapsed).as("bounded by the 300 ms probe timeout").isBetween(290L, 700L);
            // a second request does not wait for the hung check again
            start = System.nanoTime();
            assertThat(Http.get(server.uri("/health/ready")).status()).isEqualTo(503);
            assertThat(millisSince(start)).isLessThan(300L);
        } finally {
            never.countDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hundredConcurrentRequestsTriggerOneEvaluation(Container container) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (HealthRegistry registry = HealthRegistry.builder()
                        .probe(probe("db", 200, calls))
                        .cacheTtl(Duration.ofSeconds(30))
                        .build();
                TestServer server = start(container, HealthFilter.of(registry))) {
            registry.lifecycle().markStarted();
            int n = 100;
            CyclicBarrier barrier = new CyclicBarrier(n);
            ExecutorService clients = Executors.newFixedThreadPool(n);
            try {
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    statuses.add(clients.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return Http.get(server.uri("/health/ready")).status();
                    }));
                }
                for (Future<Integer> status : statuses) {
                    assertThat(status.get(20, TimeUnit.SECONDS)).isEqualTo(200);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(calls).hasValue(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void drainFlipsReadinessAtOnceAndLetsAnInFlightRequestFinish(Container container) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServlet slow = Servlets.handler((request, response) -> {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            response.getWriter().print("slow done");
        });
        try (HealthRegistry registry = HealthRegistry.builder().build();
                TestServer server = TestServer.builder(container)
                        .install(ctx -> Bulwark.install(
                                ctx, BulwarkConfig.builder().health(registry).build()))
                        .servlet("/slow", slow)
                        .servlet("/*", Servlets.text("app"))
                        .start()) {
            HealthLifecycle lifecycle = registry.lifecycle();
            lifecycle.markStarted();
            assertThat(Http.get(server.uri("/health/ready")).status()).isEqualTo(200);

            CompletableFuture<Http.Response> inFlight =
                    CompletableFuture.supplyAsync(() -> Http.get(server.uri("/slow")));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(lifecycle.inFlight()).isEqualTo(1);

            GracefulShutdown shutdown = GracefulShutdown.builder(lifecycle)
                    .gracefulTimeout(Duration.ofSeconds(10))
                    .build();
            long start = System.nanoTime();
            CompletableFuture<GracefulShutdown.Result> draining = CompletableFuture.supplyAsync(shutdown::shutdown);

            Http.Response ready = Http.get(server.uri("/health/ready"));
            while (ready.status() == 200 && millisSince(start) < 1000) {
                ready = Http.get(server.uri("/health/ready"));
            }
            assertThat(ready.status()).isEqualTo(503);
            assertThat(millisSince(start)).as("readiness flips at once").isLessThan(500L);
            assertThat(Http.get(server.uri("/health/live")).status()).isEqualTo(200);
            // health requests are not counted, so they never hold the drain up
            assertThat(lifecycle.inFlight()).isEqualTo(1);
            Thread.sleep(200);
            assertThat(draining).isNotDone();

            release.countDown();
            Http.Response finished = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(finished.status()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("slow done");
            GracefulShutdown.Result result = draining.get(10, TimeUnit.SECONDS);
            assertThat(result.drained()).isTrue();
            assertThat(result.remaining()).isZero();
            assertThat(lifecycle.state()).isEqualTo(HealthLifecycle.State.STOPPED);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void asyncRequestCountsUntilItCompletes(Container container) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServlet async = Servlets.handler((request, response) -> {
            AsyncContext context = request.startAsync();
            started.countDown();
            context.start(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                    context.getResponse().getWriter().print("async done");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    context.complete();
                }
            });
        });
        try (HealthRegistry registry = HealthRegistry.builder().build();
                TestServer server = TestServer.builder(container)
                        .install(ctx -> Bulwark.install(
                                ctx, BulwarkConfig.builder().health(registry).build()))
                        .install(ctx -> {
                            var registration = ctx.addServlet("async", async);
                            registration.setAsyncSupported(true);
                            registration.addMapping("/async");
                        })
                        .start()) {
            HealthLifecycle lifecycle = registry.lifecycle();
            CompletableFuture<Http.Response> response =
                    CompletableFuture.supplyAsync(() -> Http.get(server.uri("/async")));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100); // the dispatch has returned to the container
            assertThat(lifecycle.inFlight()).isEqualTo(1);
            release.countDown();
            assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("async done");
            long start = System.nanoTime();
            while (lifecycle.inFlight() != 0 && millisSince(start) < 2000) {
                Thread.sleep(10);
            }
            assertThat(lifecycle.inFlight()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void probesOverPlainHttpAreNeitherRedirectedNorRateLimited(Container container) {
        BulwarkConfig.Builder config = BulwarkConfig.builder()
                .clientAddressResolver(ClientAddressResolver.defaults())
                .httpsRedirect(HttpsRedirect.builder().exemptPaths(List.of()).build())
                .rateLimiter(RateLimiter.builder()
                        .anonymous("1/min")
                        .clearExemptPaths()
                        .build());
        try (HealthRegistry registry = HealthRegistry.builder().build();
                TestServer server = TestServer.builder(container)
                        .install(ctx ->
                                Bulwark.install(ctx, config.health(registry).build()))
                        .servlet("/*", Servlets.text("app"))
                        .start()) {
            registry.lifecycle().markStarted();
            for (int i = 0; i < 3; i++) {
                assertThat(Http.get(server.uri("/health/ready")).status()).isEqualTo(200);
            }
            assertThat(Http.get(server.uri("/api")).status()).isEqualTo(301);
        }
    }

    @Test
    void installRegistersHealthAfterSecurityHeadersAndBeforeTheRedirect() {
        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            BulwarkConfig config = BulwarkConfig.builder()
                    .httpsRedirect(HttpsRedirect.defaults())
                    .health(registry)
                    .build();
            assertThat(Bulwark.filters(config).stream().map(Map.Entry::getKey))
                    .containsExactly(
                            Bulwark.CLIENT_IDENTITY,
                            Bulwark.ACCESS_LOG,
                            Bulwark.SECURITY_HEADERS,
                            Bulwark.HEALTH,
                            Bulwark.HTTPS_REDIRECT,
                            Bulwark.COOKIES,
                            Bulwark.REQUEST_LIMITS,
                            Bulwark.OVERLOAD);
            assertThat(FilterOrder.HEALTH)
                    .isGreaterThan(FilterOrder.SECURITY_HEADERS)
                    .isLessThan(FilterOrder.HTTPS_REDIRECT);
        }
    }

    @Test
    void basePathIsValidated() {
        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            assertThat(HealthFilter.builder(registry)
                            .basePath("/ops/health/")
                            .build()
                            .basePath())
                    .isEqualTo("/ops/health");
            HealthFilter root = HealthFilter.builder(registry).basePath("/").build();
            assertThat(root.groupFor("/ready")).isEqualTo(HealthRegistry.READINESS);
            assertThat(root.groupFor("/")).isNull();
            assertThat(HealthFilter.of(registry).groupFor("/health/started")).isEqualTo(HealthRegistry.STARTUP);
            assertThat(HealthFilter.of(registry).groupFor("/healthy/ready")).isNull();
            assertThatThrownBy(() -> HealthFilter.builder(registry).basePath("health"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("health base path must start with '/': 'health'");
            assertThatThrownBy(() -> HealthFilter.builder(registry).basePath("/health/**"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("health base path must be a plain path");
            assertThatThrownBy(() -> HealthFilter.builder(registry).basePath("/a//b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("health base path must be a normalized path");
        }
    }

    @Test
    void networksAuthorizerReadsTheResolvedClient() {
        var authorizer = HealthFilter.clientIn(List.of("10.0.0.0/8"));
        assertThatThrownBy(() -> HealthFilter.clientIn(List.of("office")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("health authorized network must be an IP address or CIDR block");
        assertThat(authorizer.test(request("10.1.2.3"))).isTrue();
        assertThat(authorizer.test(request("192.0.2.1"))).isFalse();
        assertThat(authorizer.test(request("not-an-address"))).isFalse();
        assertThat(HealthFilter.principalPresent().test(request("10.1.2.3"))).isFalse();
    }

    private static jakarta.servlet.http.HttpServletRequest request(String remoteAddr) {
        return (jakarta.servlet.http.HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(
                HealthFilterTest.class.getClassLoader(),
                new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> remoteAddr;
                    case "getAttribute", "getUserPrincipal" -> null;
                    // a hand-written fake of the collaborator: the authorizer under test must read nothing else
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void lifecycleListenerMarksStartedDrainsAndCloses() {
        HealthRegistry registry = HealthRegistry.builder().build();
        HealthLifecycleListener listener = new HealthLifecycleListener(registry);
        listener.contextInitialized(null);
        assertThat(registry.lifecycle().state()).isEqualTo(HealthLifecycle.State.STARTED);
        listener.contextDestroyed(null);
        assertThat(registry.lifecycle().state()).isEqualTo(HealthLifecycle.State.STOPPED);
        assertThat(registry.evaluate(HealthRegistry.READINESS).httpStatus()).isEqualTo(503);
    }
}
