package dev.bulwark.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.core.FakeTimeSource;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StartupGateTest {

    private final FakeTimeSource time = new FakeTimeSource();
    private final List<Duration> sleeps = new ArrayList<>();
    private final Sleeper sleeper = d -> {
        sleeps.add(d);
        time.advance(d);
    };
    private final AtomicInteger calls = new AtomicInteger();
    private HealthRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    /** A registry whose "postgres" probe refuses connections the first {@code failures} times. */
    private HealthRegistry registry(int failures) {
        registry = HealthRegistry.builder()
                .probe(HealthProbe.builder("postgres", t -> {
                            if (calls.incrementAndGet() <= failures) {
                                throw new ConnectException("Connection refused");
                            }
                            return ProbeResult.up();
                        })
                        .build())
                .probe(HealthProbe.builder("redis", t -> ProbeResult.up()).build())
                .build();
        return registry;
    }

    private StartupGate.Builder gate(int failures, double random) {
        return StartupGate.builder(registry(failures))
                .waitFor("postgres", "redis")
                .sleeper(sleeper)
                .timeSource(time)
                .random(() -> random);
    }

    private static List<Duration> seconds(double... values) {
        List<Duration> list = new ArrayList<>();
        for (double v : values) {
            list.add(Duration.ofNanos(Math.round(v * 1e9)));
        }
        return list;
    }

    @Test
    void defaultsAreTheSeeds() {
        StartupGate gate = StartupGate.builder(registry(0)).build();
        assertThat(gate.backoffCeiling(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(gate.backoffCeiling(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(gate.backoffCeiling(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(gate.backoffCeiling(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(gate.backoffCeiling(30)).isEqualTo(Duration.ofSeconds(10));
        assertThat(gate.toString()).contains("maxAttempts=30", "deadline=PT5M");
    }

    @Test
    void backoffDoublesToTheCapWithFullJitter() {
        gate(6, 0.5).build().await();

        assertThat(sleeps).containsExactlyElementsOf(seconds(1, 2, 4, 5, 5, 5));
        assertThat(calls).hasValue(7);
    }

    @Test
    void jitterIsAppliedAfterTheCapSoItDoesNotCollapseThere() {
        gate(12, 0.25).build().await();

        // attempt 12's uncapped ceiling is 2 s * 2^11 = 4096 s; the cap is applied first, then the jitter
        assertThat(sleeps.get(11)).isEqualTo(Duration.ofMillis(2500));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.000001, 0.5, 0.999999})
    void sleepsStayWithinZeroAndTheCeiling(double random) {
        StartupGate gate = gate(8, random).build();
        gate.await();

        for (int i = 0; i < sleeps.size(); i++) {
            assertThat(sleeps.get(i)).isBetween(Duration.ZERO, gate.backoffCeiling(i + 1));
        }
        assertThat(sleeps).hasSize(8);
    }

    @Test
    void exhaustionNamesTheDependencyAndTheLastError() {
        StartupGate gate = gate(100, 0.5).maxAttempts(3).build();

        StartupGateException e = catchThrowableOfType(StartupGateException.class, gate::await);

        assertThat(e)
                .hasMessage("postgres is not available after 3 attempts in 3 s: connection refused; check that it is"
                        + " running and reachable, or allow more attempts");
        assertThat(e.dependency()).isEqualTo("postgres");
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.lastError()).isEqualTo("connection refused");
        assertThat(sleeps).containsExactlyElementsOf(seconds(1, 2));
    }

    @Test
    void deadlineEndsTheWaitEvenWithAttemptsLeft() {
        StartupGate gate = gate(100, 0.99).deadline(Duration.ofSeconds(5)).build();

        StartupGateException e = catchThrowableOfType(StartupGateException.class, gate::await);

        assertThat(e)
                .hasMessage("postgres is not available within the startup deadline of 5 s (3 attempts): connection"
                        + " refused; check that it is running and reachable, or raise the deadline");
        // 1.98 s, then 3.96 s cut to the 3.02 s left before the deadline
        assertThat(sleeps).containsExactlyElementsOf(seconds(1.98, 3.02));
    }

    @Test
    void customScheduleIsHonoured() {
        gate(4, 0.5)
                .initialDelay(Duration.ofMillis(100))
                .multiplier(3)
                .maxDelay(Duration.ofSeconds(1))
                .build()
                .await();

        assertThat(sleeps).containsExactlyElementsOf(seconds(0.05, 0.15, 0.45, 0.5));
    }

    @Test
    void availableDependencyDoesNotSleep() {
        gate(0, 0.5).build().await();

        assertThat(sleeps).isEmpty();
        assertThat(calls).hasValue(1);
    }

    @Test
    void interruptionStopsTheWait() {
        StartupGate gate = StartupGate.builder(registry(100))
                .waitFor("postgres")
                .sleeper(d -> {
                    throw new InterruptedException();
                })
                .build();
        try {
            StartupGateException e = catchThrowableOfType(StartupGateException.class, gate::await);
            assertThat(e).hasMessage("interrupted while waiting for postgres (attempt 1): connection refused");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void unknownDependencyAndBadSettingsAreRejected() {
        StartupGate.Builder builder = StartupGate.builder(registry(0));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.waitFor("mysql"))
                .withMessage("startup gate waits for unknown health probe 'mysql'; known probes: [postgres, redis]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.maxAttempts(0))
                .withMessage("startup gate max attempts must be 1..10000: 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.initialDelay(Duration.ofSeconds(20)).build())
                .withMessage("startup gate max delay (PT10S) must not be shorter than the initial delay (PT20S)");
    }
}
