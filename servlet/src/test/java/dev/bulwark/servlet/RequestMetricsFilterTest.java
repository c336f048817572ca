package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.Rejection;
import dev.bulwark.core.RequestListener;
import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Request metrics on real Jetty 12 and Tomcat 11: routes (never raw paths), statuses, asynchronous completion, and
 * every Bulwark rejection reported by capability and reason, through {@link Bulwark#install}.
 */
class RequestMetricsFilterTest {

    record Completed(
            String method,
            int status,
            String route,
            long nanos,
            @Nullable Rejection rejection) {}

    /** Records what the filter reports. */
    static final class Recorder implements RequestListener {
        final AtomicInteger started = new AtomicInteger();
        final List<Completed> completed = new CopyOnWriteArrayList<>();

        @Override
        public void onStarted() {
            started.incrementAndGet();
        }

        @Override
        public void onCompleted(
                String method, int status, String route, long durationNanos, @Nullable Rejection rejection) {
            completed.add(new Completed(method, status, route, durationNanos, rejection));
        }

        /**
         * Returns the report of request number {@code n} (from 1), waiting for it: the client may see a response
         * before the filter's completion code runs.
         */
        Completed await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (completed.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(completed).hasSizeGreaterThanOrEqualTo(n);
            return completed.get(n - 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void routesComeFromTheFrameworkThenConfiguredPatternsThenTheServletMapping(Container container)
            throws InterruptedException {
        Recorder recorder = new Recorder();
        HttpServlet spring = Servlets.handler((request, response) -> {
            // what Spring MVC's handler mapping leaves on the request
            request.setAttribute(RequestMetricsFilter.BEST_MATCHING_PATTERN, "/api/items/{id}");
            response.getWriter().write("item");
        });
        try (TestServer server = TestServer.builder(container)
                .filter("/*", new RequestMetricsFilter(recorder, List.of("/files/*/meta")))
                .servlet("/api/items/*", spring)
                .servlet("/exact", Servlets.text("exact"))
                .servlet("/files/*", Servlets.text("file"))
                .servlet("*.json", Servlets.text("json"))
                .servlet("/", Servlets.text("default"))
                .start()) {
            Http.get(server.uri("/api/items/12345"));
            assertThat(recorder.await(1).route()).isEqualTo("/api/items/{id}");
            Http.get(server.uri("/files/8172/meta"));
            assertThat(recorder.await(2).route()).isEqualTo("/files/*/meta");
            Http.get(server.uri("/files/8172/raw"));
            assertThat(recorder.await(3).route()).isEqualTo("/files/*");
            Http.get(server.uri("/exact"));
            assertThat(recorder.await(4).route()).isEqualTo("/exact");
            Http.get(server.uri("/data/77.json"));
            assertThat(recorder.await(5).route()).isEqualTo("*.json");
            Http.get(server.uri("/users/99182/anything"));
            assertThat(recorder.await(6).route()).isEqualTo("UNKNOWN");
            Http.send("BREW", server.uri("/exact"), Map.of(), null);
            assertThat(recorder.await(7).method()).isEqualTo("OTHER");
        }
        assertThat(recorder.started).hasValue(7);
        assertThat(recorder.completed).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.nanos()).isPositive();
            assertThat(c.rejection()).isNull();
        });
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void anAsyncRequestIsReportedAndReleasesItsSlotWhenItCompletes(Container container) throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConcurrencyLimiter limiter =
                ConcurrencyLimiter.builder().maxConcurrent(1).maxQueue(0).build();
        HttpServlet async = Servlets.handler((request, response) -> {
            AsyncContext context = request.startAsync();
            new Thread(() -> {
                        started.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                            response.setStatus(202);
                            response.getWriter().write("later");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        } finally {
                            context.complete();
                        }
                    })
                    .start();
        });
        try (TestServer server = TestServer.builder(container)
                .install(ctx -> {
                    // asynchronous requests need every filter on their way to support them
                    for (var filter :
                            List.of(new RequestMetricsFilter(recorder), new OverloadProtectionFilter(limiter, null))) {
                        var registration = ctx.addFilter(filter.getClass().getSimpleName(), filter);
                        registration.setAsyncSupported(true);
                        registration.addMappingForUrlPatterns(null, false, "/*");
                    }
                    ServletRegistration.Dynamic registration = ctx.addServlet("async", async);
                    registration.setAsyncSupported(true);
                    registration.addMapping("/async");
                })
                .start()) {
            java.util.concurrent.CompletableFuture<Http.Response> pending =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> Http.get(server.uri("/async")));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // the servlet returned, but the request is still running: it keeps the only slot
            Http.Response refused = Http.get(server.uri("/async"));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(recorder.await(1).rejection()).isEqualTo(Rejection.of("overload", "queue_full"));
            assertThat(limiter.inFlight()).isEqualTo(1);

            release.countDown();
            assertThat(pending.get(10, TimeUnit.SECONDS).body()).isEqualTo("later");
            assertThat(recorder.await(2).status()).isEqualTo(202);
            assertThat(recorder.completed).hasSize(2);
            assertThat(limiter.inFlight()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void everyBulwarkRejectionIsReportedByCapabilityAndReason(Container container) throws Exception {
        Recorder recorder = new Recorder();
        BulwarkConfig config = BulwarkConfig.builder()
                .requestListener(recorder)
                .requestLimits(RequestLimits.builder().maxBodySize(10).build())
                .rateLimiter(RateLimiter.builder()
                        .scope(dev.bulwark.core.ratelimit.RateLimitPolicy.scope("tight")
                                .rates("1/min")
                                .paths("/limited"))
                        .build())
                .cors(Cors.builder()
                        .mapping("api", List.of("/api/**"), p -> p.allowedOrigins("https://app.example.com"))
                        .build())
                .concurrencyLimiter(ConcurrencyLimiter.builder()
                        .maxConcurrent(1)
                        .maxQueue(0)
                        .build())
                .build();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer server = TestServer.builder(container)
                .install(ctx -> Bulwark.install(ctx, config))
                .servlet("/hold", Servlets.handler((request, response) -> {
                    inside.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }))
                .servlet("/*", Servlets.text("ok"))
                .start()) {
            assertThat(Http.send("POST", server.uri("/upload"), Map.of(), "more than ten bytes")
                            .status())
                    .isEqualTo(413);
            assertThat(recorder.await(1).rejection()).isEqualTo(Rejection.of("limits", "body_too_large"));

            assertThat(Http.get(server.uri("/limited")).status()).isEqualTo(200);
            assertThat(Http.get(server.uri("/limited")).status()).isEqualTo(429);
            assertThat(recorder.await(2).rejection()).isNull();
            assertThat(recorder.await(3).rejection()).isEqualTo(Rejection.of("ratelimit", "rejected"));

            Http.Response preflight = Http.send(
                    "OPTIONS",
                    server.uri("/api/x"),
                    Map.of("Origin", "https://evil.example.net", "Access-Control-Request-Method", "GET"),
                    null);
            assertThat(preflight.status()).isEqualTo(403);
            assertThat(recorder.await(4).rejection()).isEqualTo(Rejection.of("cors", "origin_not_allowed"));

            java.util.concurrent.CompletableFuture<Http.Response> held =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> Http.get(server.uri("/hold")));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Http.get(server.uri("/other")).status()).isEqualTo(503);
            assertThat(recorder.await(5).rejection()).isEqualTo(Rejection.of("overload", "queue_full"));
            release.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            release.countDown();
        }
    }
}
