package dev.bulwark.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.core.FakeTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {

    private final List<HealthRegistry> registries = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        registries.forEach(HealthRegistry::close);
    }

    private HealthRegistry started(HealthRegistry.Builder builder) {
        HealthRegistry registry = builder.build();
        registries.add(registry);
        registry.lifecycle().markStarted();
        return registry;
    }

    private static HealthProbe sleeping(String name, long millis, AtomicInteger calls) {
        return HealthProbe.builder(name, timeout -> {
                    calls.incrementAndGet();
                    Thread.sleep(millis);
                    return ProbeResult.up();
                })
                .timeout(Duration.ofSeconds(2))
                .build();
    }

    /** A check that ignores interrupts and returns only when the test ends. */
    private HealthProbe hung(String name, Duration timeout, AtomicInteger calls) {
        return HealthProbe.builder(name, t -> {
                    calls.incrementAndGet();
                    while (release.getCount() > 0) {
                        try {
                            release.await();
                        } catch (InterruptedException ignored) {
                            // a hung driver does not react to interrupts either
                        }
                    }
                    return ProbeResult.up();
                })
                .timeout(timeout)
                .build();
    }

    @Test
    void fourSlowProbesRunInParallel() {
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry registry = started(HealthRegistry.builder()
                .groupDeadline(Duration.ofSeconds(3))
                .probe(sleeping("a", 200, calls))
                .probe(sleeping("b", 200, calls))
                .probe(sleeping("c", 200, calls))
                .probe(sleeping("d", 200, calls)));

        long start = System.nanoTime();
        GroupResult result = registry.evaluate(HealthRegistry.READINESS);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.status()).isEqualTo(Status.UP);
        assertThat(result.checks()).containsOnlyKeys("a", "b", "c", "d");
        assertThat(calls).hasValue(4);
        assertThat(millis).isGreaterThanOrEqualTo(190).isLessThan(600);
        assertThat(result.checks().get("a").duration()).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void probeThatNeverReturnsDoesNotDelayTheGroupBeyondItsTimeout() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger fast = new AtomicInteger();
        HealthRegistry registry = started(HealthRegistry.builder()
                .cacheTtl(Duration.ZERO)
                .probe(hung("hung", Duration.ofMillis(200), calls))
                .probe(sleeping("fast", 0, fast)));

        long start = System.nanoTime();
        GroupResult result = registry.evaluate(HealthRegistry.READINESS);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isLessThan(500);
        assertThat(result.status()).isEqualTo(Status.DOWN);
        assertThat(result.httpStatus()).isEqualTo(503);
        assertThat(result.checks().get("hung").status()).isEqualTo(Status.DOWN);
        assertThat(result.checks().get("hung").error()).isEqualTo("timed out after 200 ms");
        assertThat(result.checks().get("fast").status()).isEqualTo(Status.UP);
    }

    @Test
    void hungCheckIsNotStartedAgainWhileItsThreadIsStuck() {
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry registry = started(
                HealthRegistry.builder().cacheTtl(Duration.ZERO).probe(hung("hung", Duration.ofMillis(100), calls)));

        registry.evaluate(HealthRegistry.READINESS);
        long start = System.nanoTime();
        GroupResult again = registry.evaluate(HealthRegistry.READINESS);
        GroupResult third = registry.evaluate(HealthRegistry.READINESS);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(calls).hasValue(1);
        assertThat(millis).isLessThan(100);
        assertThat(again.checks().get("hung").error()).isEqualTo("timed out after 100 ms");
        assertThat(again.checks().get("hung").message()).startsWith("previous check still running after");
        assertThat(third.status()).isEqualTo(Status.DOWN);
    }

    @Test
    void groupDeadlineBoundsTheWholeEvaluation() {
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry registry = started(HealthRegistry.builder()
                .groupDeadline(Duration.ofMillis(300))
                .probe(hung("slow", Duration.ofSeconds(5), calls)));

        long start = System.nanoTime();
        GroupResult result = registry.evaluate(HealthRegistry.READINESS);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isLessThan(600);
        assertThat(result.checks().get("slow").error()).isEqualTo("group deadline of 300 ms exceeded");
        assertThat(result.status()).isEqualTo(Status.DOWN);
    }

    @Test
    void concurrentEvaluationsShareOneCheck() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry registry = started(
                HealthRegistry.builder().cacheTtl(Duration.ofSeconds(30)).probe(sleeping("db", 100, calls)));
        ExecutorService threads = Executors.newFixedThreadPool(100);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<GroupResult>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                results.add(threads.submit(() -> {
                    go.await();
                    return registry.evaluate(HealthRegistry.READINESS);
                }));
            }
            go.countDown();
            for (Future<GroupResult> f : results) {
                assertThat(f.get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.UP);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void resultsAreCachedForTheTtl() {
        FakeTimeSource time = new FakeTimeSource();
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry registry = started(HealthRegistry.builder()
                .timeSource(time)
                .cacheTtl(Duration.ofSeconds(10))
                .probe(sleeping("db", 0, calls)));

        registry.evaluate(HealthRegistry.READINESS);
        time.advance(Duration.ofSeconds(5));
        registry.evaluate(HealthRegistry.READINESS);
        assertThat(calls).hasValue(1);

        time.advance(Duration.ofSeconds(6));
        registry.evaluate(HealthRegistry.READINESS);
        assertThat(calls).hasValue(2);
    }

    @Test
    void hysteresisNeedsConsecutiveFailuresAndSuccesses() {
        FakeTimeSource time = new FakeTimeSource();
        AtomicReference<Status> next = new AtomicReference<>(Status.UP);
        HealthRegistry registry = started(HealthRegistry.builder()
                .timeSource(time)
                .cacheTtl(Duration.ofSeconds(1))
                .failureThreshold(3)
                .successThreshold(2)
                .probe(HealthProbe.builder("db", t -> ProbeResult.of(next.get(), "state", java.util.Map.of()))
                        .build()));

        List<Status> seen = new ArrayList<>();
        for (Status raw : List.of(
                Status.UP, Status.DOWN, Status.DOWN, Status.DOWN, Status.UP, Status.DOWN, Status.UP, Status.UP)) {
            next.set(raw);
            time.advance(Duration.ofSeconds(2));
            seen.add(registry.evaluate(HealthRegistry.READINESS).status());
        }

        assertThat(seen)
                .containsExactly(
                        Status.UP, Status.UP, Status.UP, Status.DOWN, Status.DOWN, Status.DOWN, Status.DOWN, Status.UP);
        next.set(Status.UP);
        assertThat(registry.lastResult("db").orElseThrow().status()).isEqualTo(Status.UP);
    }

    @Test
    void recoveringProbeSaysSo() {
        FakeTimeSource time = new FakeTimeSource();
        AtomicReference<Status> next = new AtomicReference<>(Status.DOWN);
        HealthRegistry registry = started(HealthRegistry.builder()
                .timeSource(time)
                .successThreshold(2)
                .probe(HealthProbe.builder("db", t -> ProbeResult.of(next.get(), null, java.util.Map.of()))
                        .build()));
        registry.evaluate(HealthRegistry.READINESS);
        next.set(Status.UP);
        time.advance(Duration.ofSeconds(2));

        ProbeResult db = registry.evaluate(HealthRegistry.READINESS).checks().get("db");

        assertThat(db.status()).isEqualTo(Status.DOWN);
        assertThat(db.error()).isEqualTo("recovering: 1 of 2 successes");
    }

    @Test
    void failingNonCriticalProbeGivesWarnAndCriticalGivesDown() {
        HealthRegistry registry = started(HealthRegistry.builder()
                .probe(HealthProbe.builder("cache", t -> ProbeResult.down("gone"))
                        .critical(false)
                        .build())
                .probe(HealthProbe.builder("db", t -> ProbeResult.up())
                        .groups("readiness", "custom")
                        .build())
                .probe(HealthProbe.builder("queue", t -> ProbeResult.down("gone"))
                        .groups("custom")
                        .build()));

        GroupResult readiness = registry.evaluate(HealthRegistry.READINESS);
        assertThat(readiness.status()).isEqualTo(Status.WARN);
        assertThat(readiness.httpStatus()).isEqualTo(200);
        assertThat(readiness.checks().get("cache").status()).isEqualTo(Status.DOWN);

        GroupResult custom = registry.evaluate("custom");
        assertThat(custom.status()).isEqualTo(Status.DOWN);
        assertThat(custom.httpStatus()).isEqualTo(503);
        assertThat(custom.checks()).containsOnlyKeys("db", "queue");
    }

    @Test
    void probeThatThrowsIsDownWithTheExceptionClass() {
        HealthRegistry registry = started(HealthRegistry.builder()
                .probe(HealthProbe.builder("db", t -> {
                            throw new IllegalStateException("boom at 10.0.0.7");
                        })
                        .build()));

        ProbeResult db = registry.evaluate(HealthRegistry.READINESS).checks().get("db");

        assertThat(db.status()).isEqualTo(Status.DOWN);
        assertThat(db.error()).isEqualTo("java.lang.IllegalStateException");
        assertThat(db.message()).isEqualTo("boom at 10.0.0.7");
        assertThat(db.time()).isNotEqualTo(java.time.Instant.EPOCH);
    }

    @Test
    void readinessAndStartupFollowTheLifecycle() {
        HealthRegistry registry = HealthRegistry.builder()
                .cacheTtl(Duration.ofMinutes(1))
                .probe(HealthProbe.builder("db", t -> ProbeResult.up()).build())
                .build();
        registries.add(registry);

        GroupResult starting = registry.evaluate(HealthRegistry.READINESS);
        assertThat(starting.status()).isEqualTo(Status.DOWN);
        assertThat(starting.checks().get(GroupResult.LIFECYCLE_CHECK).error()).isEqualTo("starting");
        assertThat(registry.evaluate(HealthRegistry.STARTUP).status()).isEqualTo(Status.DOWN);
        assertThat(registry.evaluate(HealthRegistry.LIVENESS).status()).isEqualTo(Status.UP);

        registry.lifecycle().markStarted();
        assertThat(registry.evaluate(HealthRegistry.READINESS).status()).isEqualTo(Status.UP);
        assertThat(registry.evaluate(HealthRegistry.STARTUP).status()).isEqualTo(Status.UP);

        registry.lifecycle().markDraining();
        GroupResult draining = registry.evaluate(HealthRegistry.READINESS);
        assertThat(draining.status()).isEqualTo(Status.DOWN);
        assertThat(draining.checks().get(GroupResult.LIFECYCLE_CHECK).message()).isEqualTo("application is draining");
        assertThat(registry.evaluate(HealthRegistry.STARTUP).status()).isEqualTo(Status.UP);
        assertThat(registry.evaluate(HealthRegistry.LIVENESS).status()).isEqualTo(Status.UP);
    }

    @Test
    void livenessHasNoDependencyUnlessOneIsAdded() {
        HealthRegistry registry = started(HealthRegistry.builder()
                .probe(HealthProbe.builder("db", t -> ProbeResult.down("x")).build())
                .probe(HealthProbe.builder("deadlocks", HealthProbes.deadlocks())
                        .groups(HealthRegistry.LIVENESS)
                        .build()));

        GroupResult liveness = registry.evaluate(HealthRegistry.LIVENESS);

        assertThat(liveness.status()).isEqualTo(Status.UP);
        assertThat(liveness.checks()).containsOnlyKeys("deadlocks");
    }

    @Test
    void pathsMapToGroups() {
        HealthRegistry registry = started(HealthRegistry.builder()
                .group("deep")
                .probe(HealthProbe.builder("db", t -> ProbeResult.up()).build()));

        assertThat(registry.groupForPath("live")).hasValue(HealthRegistry.LIVENESS);
        assertThat(registry.groupForPath("ready")).hasValue(HealthRegistry.READINESS);
        assertThat(registry.groupForPath("started")).hasValue(HealthRegistry.STARTUP);
        assertThat(registry.groupForPath("deep")).hasValue("deep");
        assertThat(registry.groupForPath("nope")).isEmpty();
        assertThat(registry.groups()).containsExactly("liveness", "readiness", "startup", "deep");
        assertThat(registry.evaluate("deep").status()).isEqualTo(Status.UP);
    }

    @Test
    void unknownGroupIsRejected() {
        HealthRegistry registry = started(HealthRegistry.builder());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> registry.evaluate("nope"))
                .withMessage("unknown health group 'nope'; known groups: [liveness, readiness, startup]");
    }

    @Test
    void builderRejectsDuplicateAndInvalidNames() {
        HealthProbe db = HealthProbe.builder("db", t -> ProbeResult.up()).build();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthRegistry.builder().probe(db).probe(db))
                .withMessage("duplicate health probe name 'db'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbe.builder("a b", t -> ProbeResult.up()))
                .withMessage("probe name must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or"
                        + " digit: 'a b'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthProbe.builder("lifecycle", t -> ProbeResult.up()))
                .withMessage("probe name 'lifecycle' is reserved for the application lifecycle; choose another name");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthRegistry.builder()
                        .backgroundRefresh(Duration.ofSeconds(10))
                        .stalenessLimit(Duration.ofSeconds(5))
                        .build())
                .withMessage("health staleness limit (PT5S) must be longer than the background refresh interval"
                        + " (PT10S), or every result goes stale before the next refresh");
    }

    @Test
    void backgroundResultsOlderThanTheStalenessLimitCountAsDown() throws Exception {
        FakeTimeSource time = new FakeTimeSource();
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry registry = started(HealthRegistry.builder()
                .timeSource(time)
                .backgroundRefresh(Duration.ofMillis(20))
                .stalenessLimit(Duration.ofSeconds(10))
                .probe(sleeping("db", 0, calls)));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (registry.lastResult("db").isEmpty() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(registry.evaluate(HealthRegistry.READINESS).status()).isEqualTo(Status.UP);

        registry.close(); // the scheduler stops: results age
        int callsAfterClose = calls.get();
        time.advance(Duration.ofSeconds(11));
        GroupResult stale = registry.evaluate(HealthRegistry.READINESS);

        assertThat(stale.status()).isEqualTo(Status.DOWN);
        assertThat(stale.checks().get("db").error()).isEqualTo("stale");
        assertThat(stale.checks().get("db").message()).startsWith("last result is 11");
        assertThat(calls).hasValue(callsAfterClose);
    }

    @Test
    void checkNowBypassesTheCacheAndReturnsTheRawResult() {
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry registry = started(HealthRegistry.builder()
                .cacheTtl(Duration.ofMinutes(1))
                .failureThreshold(5)
                .probe(HealthProbe.builder(
                                "db",
                                t -> calls.incrementAndGet() == 1 ? ProbeResult.up() : ProbeResult.down("refused"))
                        .build()));
        registry.evaluate(HealthRegistry.READINESS);

        ProbeResult now = registry.checkNow("db");

        assertThat(calls).hasValue(2);
        assertThat(now.status()).isEqualTo(Status.DOWN);
        assertThat(registry.lastResult("db").orElseThrow().status()).isEqualTo(Status.UP); // hysteresis holds
        assertThatIllegalArgumentException()
                .isThrownBy(() -> registry.checkNow("nope"))
                .withMessage("unknown health probe 'nope'; known probes: [db]");
    }

    @Test
    void failingListenerDoesNotBreakEvaluation() {
        HealthRegistry registry = started(HealthRegistry.builder()
                .listener(new HealthListener() {
                    @Override
                    public void onProbeResult(String probe, ProbeResult result) {
                        throw new IllegalStateException("listener bug");
                    }

                    @Override
                    public void onGroupResult(GroupResult result) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .probe(HealthProbe.builder("db", t -> ProbeResult.up()).build()));

        assertThat(registry.evaluate(HealthRegistry.READINESS).status()).isEqualTo(Status.UP);
    }
}
