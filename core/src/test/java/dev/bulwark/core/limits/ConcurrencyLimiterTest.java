package dev.bulwark.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.Rejection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConcurrencyLimiterTest {

    @Test
    void admitsUpToTheLimitThenRefusesWhenTheQueueIsFull() {
        ConcurrencyLimiter limiter =
                ConcurrencyLimiter.builder().maxConcurrent(2).maxQueue(0).build();
        assertThat(limiter.tryAcquire()).isEqualTo(AdmissionDecision.ADMITTED);
        assertThat(limiter.tryAcquire()).isEqualTo(AdmissionDecision.ADMITTED);
        assertThat(limiter.inFlight()).isEqualTo(2);
        AdmissionDecision refused = limiter.tryAcquire();
        assertThat(refused).isEqualTo(AdmissionDecision.QUEUE_FULL);
        assertThat(refused.rejection()).isEqualTo(Rejection.of("overload", "queue_full"));
        limiter.release();
        assertThat(limiter.tryAcquire()).isEqualTo(AdmissionDecision.ADMITTED);
        assertThat(limiter.admitted()).isEqualTo(3);
        assertThat(limiter.rejected()).isEqualTo(1);
        assertThat(limiter.rejected(AdmissionDecision.QUEUE_FULL)).isEqualTo(1);
        assertThat(limiter.rejected(AdmissionDecision.ADMITTED)).isZero();
    }

    @Test
    void aQueuedRequestGetsTheFirstFreedSlotOrTimesOut() throws Exception {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.builder()
                .maxConcurrent(1)
                .maxQueue(1)
                .queueTimeout(Duration.ofSeconds(10))
                .build();
        assertThat(limiter.tryAcquire()).isEqualTo(AdmissionDecision.ADMITTED);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<AdmissionDecision> waiting = pool.submit(limiter::tryAcquire);
            while (limiter.queued() == 0) {
                Thread.sleep(1);
            }
            // the queue of one is taken: the next is refused at once
            assertThat(limiter.tryAcquire()).isEqualTo(AdmissionDecision.QUEUE_FULL);
            limiter.release();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(AdmissionDecision.ADMITTED);
            assertThat(limiter.queued()).isZero();
        } finally {
            pool.shutdownNow();
        }
        ConcurrencyLimiter quick = ConcurrencyLimiter.builder()
                .maxConcurrent(1)
                .queueTimeout(Duration.ofMillis(20))
                .build();
        quick.tryAcquire();
        assertThat(quick.tryAcquire()).isEqualTo(AdmissionDecision.QUEUE_TIMEOUT);
        assertThat(quick.rejected(AdmissionDecision.QUEUE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void anInterruptedWaitIsRefusedAndKeepsTheInterrupt() throws Exception {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.builder()
                .maxConcurrent(1)
                .queueTimeout(Duration.ofSeconds(30))
                .build();
        limiter.tryAcquire();
        CountDownLatch done = new CountDownLatch(1);
        AdmissionDecision[] result = new AdmissionDecision[1];
        boolean[] interrupted = new boolean[1];
        Thread waiter = new Thread(() -> {
            result[0] = limiter.tryAcquire();
            interrupted[0] = Thread.currentThread().isInterrupted();
            done.countDown();
        });
        waiter.start();
        while (limiter.queued() == 0) {
            Thread.sleep(1);
        }
        waiter.interrupt();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(result[0]).isEqualTo(AdmissionDecision.QUEUE_TIMEOUT);
        assertThat(interrupted[0]).isTrue();
    }

    @Test
    void healthEndpointsAreExemptByDefault() {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.builder()
                .maxConcurrent(1)
                .exemptPaths(List.of("/metrics"))
                .build();
        assertThat(limiter.isExempt("/health/live")).isTrue();
        assertThat(limiter.isExempt("/actuator/health/readiness")).isTrue();
        assertThat(limiter.isExempt("/metrics")).isTrue();
        assertThat(limiter.isExempt("/api")).isFalse();
        assertThat(ConcurrencyLimiter.builder()
                        .maxConcurrent(1)
                        .clearExemptPaths()
                        .build()
                        .isExempt("/health/live"))
                .isFalse();
    }

    @Test
    void refusalsCarryRetryAfterAndAProblemDocument() throws Exception {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.builder()
                .maxConcurrent(20)
                .maxQueue(50)
                .retryAfter(Duration.ofMillis(2500))
                .build();
        assertThat(limiter.retryAfterSeconds()).isEqualTo(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        limiter.writeRejection(AdmissionDecision.QUEUE_FULL, out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                        + "\"detail\":\"server is at its concurrency limit of 20 requests and its wait queue of 50 is"
                        + " full; retry after 3 s\",\"retryAfter\":3}");
        assertThat(limiter.rejectionLength(AdmissionDecision.QUEUE_FULL)).isEqualTo(out.size());
        assertThat(ConcurrencyLimiter.builder()
                        .maxConcurrent(1)
                        .retryAfter(Duration.ZERO)
                        .build()
                        .retryAfterSeconds())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"1, 6", "2, 20", "4, 72", "8, 272"})
    void theSeedsSizingRuleIsTwoCpusPlusOneWorkersOfTwoCpusThreads(int cpus, int suggested) {
        assertThat(ConcurrencyLimiter.suggestedMaxConcurrent(cpus)).isEqualTo(suggested);
    }

    @Test
    void sizingReportSuggestsTheRuleWhenNothingIsConfiguredAndWarnsWhenTheQueueOutgrowsThreads() {
        assertThat(ConcurrencyLimiter.sizingReport(null, 200, "Tomcat", 2))
                .isEqualTo("bulwark overload protection: Tomcat request threads 200, 2 CPUs, no concurrency limit;"
                        + " the seed's sizing rule (2 x CPU + 1 workers x 2 x CPU threads) suggests 20 concurrent"
                        + " requests (bulwark.limits.concurrency.max-concurrent=20)");
        ConcurrencyLimiter limiter =
                ConcurrencyLimiter.builder().maxConcurrent(20).maxQueue(100).build();
        assertThat(ConcurrencyLimiter.sizingReport(limiter, -1, "Jetty", 1))
                .isEqualTo("bulwark overload protection: Jetty request threads unknown, 1 CPU, concurrency limit 20"
                        + " in flight, queue 100 for at most 1000 ms (sizing rule: 6)");
        assertThat(ConcurrencyLimiter.sizingReport(limiter, 50, "Jetty", 2))
                .endsWith("; WARNING: max-concurrent + max-queue (120) exceeds the container's 50 threads, and a"
                        + " queued request holds a thread: the container's own queue fills first");
    }

    @Test
    void invalidSettingsAreRejectedNamingTheSetting() {
        assertThatThrownBy(() -> ConcurrencyLimiter.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max concurrent requests must be set (at least 1)");
        assertThatThrownBy(() -> ConcurrencyLimiter.builder().maxConcurrent(0))
                .hasMessage("max concurrent requests must be at least 1: 0");
        assertThatThrownBy(() -> ConcurrencyLimiter.builder().maxQueue(-1))
                .hasMessage("max queued requests must not be negative: -1");
        assertThatThrownBy(() -> ConcurrencyLimiter.builder().queueTimeout(Duration.ofSeconds(-1)))
                .hasMessage("queue timeout must not be negative: PT-1S");
        assertThatThrownBy(() -> ConcurrencyLimiter.builder().retryAfter(Duration.ofSeconds(-1)))
                .hasMessage("retry after must not be negative: PT-1S");
        assertThatThrownBy(() -> ConcurrencyLimiter.suggestedMaxConcurrent(0))
                .hasMessage("cpu count must be at least 1: 0");
    }
}
