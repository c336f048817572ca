package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.TimeSource;
import dev.bulwark.core.limits.AdmissionDecision;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Overload protection on real Jetty 12 and Tomcat 11: the concurrency limit on the wire, and slow-request warnings. */
class OverloadProtectionFilterTest {

    /** A servlet that holds each request until {@code release} opens, recording how many ran at once. */
    private static HttpServlet held(CountDownLatch release, AtomicInteger running, AtomicInteger maxRunning) {
        return Servlets.handler((request, response) -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(20, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
            }
            response.getWriter().write("done");
        });
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void tenParallelSlowRequestsUnderALimitOfTwoRunTwoAtATimeTheRestQueueOrGet503(Container container)
            throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ConcurrencyLimiter limiter = ConcurrencyLimiter.builder()
                .maxConcurrent(2)
                .maxQueue(3)
                .queueTimeout(Duration.ofSeconds(20))
                .retryAfter(Duration.ofMillis(1500))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try (TestServer server = TestServer.builder(container)
                .filter("/*", new OverloadProtectionFilter(limiter, null))
                .servlet("/*", held(release, running, maxRunning))
                .start()) {
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(pool.submit(() -> Http.get(server.uri("/work"))));
            }
            // while the app is held: 2 run, 3 wait in the queue, 5 were refused at once
            await(
                    "2 running, 3 queued, 5 refused",
                    () -> running.get() == 2
                            && limiter.queued() == 3
                            && futures.stream().filter(Future::isDone).count() == 5);
            release.countDown();
            Map<Integer, List<Http.Response>> byStatus = new TreeMap<>();
            for (Future<Http.Response> future : futures) {
                Http.Response response = future.get(20, TimeUnit.SECONDS);
                byStatus.computeIfAbsent(response.status(), s -> new ArrayList<>())
                        .add(response);
            }

            assertThat(maxRunning).hasValue(2);
            assertThat(byStatus.get(200)).hasSize(5);
            assertThat(byStatus.get(503)).hasSize(5).allSatisfy(rejected -> {
                assertThat(rejected.header("Retry-After")).hasValue("2");
                assertThat(rejected.header("Content-Type")).hasValue("application/problem+json");
                assertThat(rejected.body())
                        .startsWith("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,")
                        .contains("wait queue of 3 is full");
            });
            assertThat(limiter.admitted()).isEqualTo(5);
            assertThat(limiter.rejected(AdmissionDecision.QUEUE_FULL)).isEqualTo(5);
            assertThat(limiter.inFlight()).isZero();
            assertThat(limiter.queued()).isZero();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void queuedRequestsTimeOutAndHealthEndpointsStayReachable(Container container) throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ConcurrencyLimiter limiter = ConcurrencyLimiter.builder()
                .maxConcurrent(1)
                .maxQueue(5)
                .queueTimeout(Duration.ofMillis(100))
                .build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (TestServer server = TestServer.builder(container)
                .filter("/*", new OverloadProtectionFilter(limiter, null))
                .servlet("/health/live", Servlets.text("UP"))
                .servlet("/*", held(release, running, maxRunning))
                .start()) {
            Future<Http.Response> holder = pool.submit(() -> Http.get(server.uri("/work")));
            await("the only slot taken", () -> running.get() == 1);

            Http.Response timedOut = Http.get(server.uri("/work"));
            assertThat(timedOut.status()).isEqualTo(503);
            assertThat(timedOut.body()).contains("no slot became free within 100 ms");
            // the probe bypasses the limiter while the only slot is taken
            assertThat(Http.get(server.uri("/health/live")).body()).isEqualTo("UP");
            assertThat(holder).isNotDone();

            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(limiter.rejected(AdmissionDecision.QUEUE_TIMEOUT)).isEqualTo(1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** A clock the test moves: every call to nanoTime advances it by {@code step}. */
    private static final class SteppingClock implements TimeSource {
        private final AtomicLong nanos = new AtomicLong();
        private final long step;

        SteppingClock(Duration step) {
            this.step = step.toNanos();
        }

        @Override
        public long nanoTime() {
            return nanos.getAndAdd(step);
        }

        @Override
        public Instant now() {
            return Instant.ofEpochSecond(0, nanos.get());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void requestsOverTheThresholdAreLoggedWithPathAndDurationButNoQuery(Container container) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OverloadProtectionFilter filter =
                new OverloadProtectionFilter(null, Duration.ofSeconds(120), new SteppingClock(Duration.ofSeconds(125)));
        try (TestServer server = TestServer.builder(container)
                .filter("/*", filter)
                .servlet("/*", Servlets.text("ok"))
                .start()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                Http.get(server.uri("/api/export?token=s3cret"));
            } finally {
                System.setErr(original);
            }
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log)
                .contains("WARN bulwark.slow-requests - slow request: GET /api/export took 125.00 s"
                        + " (threshold 120 s), status 200")
                .doesNotContain("s3cret");
    }

    @Test
    void needsALimiterOrAThreshold() {
        assertThatThrownBy(() -> new OverloadProtectionFilter(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overload protection needs a concurrency limiter or a slow-request threshold");
        assertThatThrownBy(() -> new OverloadProtectionFilter(null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slow request threshold must be positive: PT0S");
    }
}
