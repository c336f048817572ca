package dev.bulwark.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.FakeTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    private final FakeTimeSource time = new FakeTimeSource();
    private final HealthLifecycle lifecycle = HealthLifecycle.create();

    @Test
    void lifecycleOnlyMovesForward() {
        assertThat(lifecycle.state()).isEqualTo(HealthLifecycle.State.STARTING);
        assertThat(lifecycle.markStarted()).isTrue();
        assertThat(lifecycle.markStarted()).isFalse();
        assertThat(lifecycle.markDraining()).isTrue();
        assertThat(lifecycle.markStarted()).isFalse();
        assertThat(lifecycle.state()).isEqualTo(HealthLifecycle.State.DRAINING);
        assertThat(lifecycle.markStopped()).isTrue();
        assertThat(lifecycle.markDraining()).isFalse();
        lifecycle.requestFinished();
        assertThat(lifecycle.inFlight()).isZero();
    }

    @Test
    void readinessFlipsAtOnceThenTheDrainDelayPasses() throws Exception {
        HealthRegistry registry = HealthRegistry.builder()
                .lifecycle(lifecycle)
                .cacheTtl(Duration.ofMinutes(1))
                .probe(HealthProbe.builder("db", t -> ProbeResult.up()).build())
                .build();
        try {
            lifecycle.markStarted();
            assertThat(registry.evaluate(HealthRegistry.READINESS).httpStatus()).isEqualTo(200);
            CountDownLatch inDrainDelay = new CountDownLatch(1);
            CountDownLatch endDrainDelay = new CountDownLatch(1);
            GracefulShutdown shutdown = GracefulShutdown.builder(lifecycle)
                    .drainDelay(Duration.ofSeconds(5))
                    .sleeper(d -> {
                        inDrainDelay.countDown();
                        endDrainDelay.await();
                    })
                    .build();

            CompletableFuture<GracefulShutdown.Result> running = CompletableFuture.supplyAsync(shutdown::shutdown);
            assertThat(inDrainDelay.await(5, TimeUnit.SECONDS)).isTrue();

            GroupResult readiness = registry.evaluate(HealthRegistry.READINESS);
            assertThat(readiness.httpStatus()).isEqualTo(503);
            assertThat(readiness.checks().get(GroupResult.LIFECYCLE_CHECK).error())
                    .isEqualTo("draining");
            assertThat(registry.evaluate(HealthRegistry.LIVENESS).httpStatus()).isEqualTo(200);

            endDrainDelay.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS).drained()).isTrue();
            assertThat(lifecycle.state()).isEqualTo(HealthLifecycle.State.STOPPED);
        } finally {
            registry.close();
        }
    }

    @Test
    void waitsForInFlightRequestsAfterTheDrainDelay() {
        lifecycle.markStarted();
        lifecycle.requestStarted();
        lifecycle.requestStarted();
        List<Duration> sleeps = new ArrayList<>();
        GracefulShutdown shutdown = GracefulShutdown.builder(lifecycle)
                .drainDelay(Duration.ofSeconds(3))
                .timeSource(time)
                .sleeper(d -> {
                    sleeps.add(d);
                    time.advance(d);
                    if (sleeps.size() == 4 || sleeps.size() == 6) {
                        lifecycle.requestFinished();
                    }
                })
                .build();

        GracefulShutdown.Result result = shutdown.shutdown();

        assertThat(result.drained()).isTrue();
        assertThat(result.remaining()).isZero();
        assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(sleeps.subList(1, sleeps.size()))
                .containsOnly(Duration.ofMillis(20))
                .hasSize(5);
        assertThat(result.elapsed()).isEqualTo(Duration.ofMillis(3100));
    }

    @Test
    void gracefulTimeoutBoundsTheWait() {
        lifecycle.markStarted();
        lifecycle.requestStarted();
        GracefulShutdown shutdown = GracefulShutdown.builder(lifecycle)
                .timeSource(time)
                .sleeper(time::advance)
                .build();

        GracefulShutdown.Result result = shutdown.shutdown();

        assertThat(shutdown.drainDelay()).isZero();
        assertThat(shutdown.gracefulTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(result.drained()).isFalse();
        assertThat(result.remaining()).isEqualTo(1);
        assertThat(result.elapsed()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void slowInFlightRequestCompletesBeforeShutdownReturns() throws Exception {
        lifecycle.markStarted();
        CountDownLatch entered = new CountDownLatch(1);
        Thread request = new Thread(() -> {
            lifecycle.requestStarted();
            try {
                entered.countDown();
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lifecycle.requestFinished();
            }
        });
        request.start();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        GracefulShutdown.Result result = GracefulShutdown.builder(lifecycle)
                .drainDelay(Duration.ofMillis(50))
                .gracefulTimeout(Duration.ofSeconds(5))
                .build()
                .shutdown();

        assertThat(result.drained()).isTrue();
        assertThat(request.isAlive()).isFalse();
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(2));
    }
}
