package dev.bulwark.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.Rejection;
import dev.bulwark.core.limits.AdmissionDecision;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void requestsAreTimedByMethodStatusClassAndRouteInTheSeedsBuckets() {
        RequestMetrics metrics = new RequestMetrics(registry);
        for (long millis : new long[] {50, 250, 1000, 4000, 9000}) {
            metrics.onStarted();
            metrics.onCompleted("GET", 200, "/api/items/{id}", TimeUnit.MILLISECONDS.toNanos(millis), null);
        }
        metrics.onStarted();
        metrics.onCompleted("POST", 503, "/api/items", 1_000_000, null);

        Timer timer = registry.get("bulwark.http.server.requests")
                .tags("method", "GET", "status", "2xx", "route", "/api/items/{id}")
                .timer();
        assertThat(timer.count()).isEqualTo(5);
        CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
        assertThat(Arrays.stream(buckets).map(b -> b.bucket(TimeUnit.SECONDS))).containsExactly(0.1, 0.3, 1.2, 5.0);
        assertThat(Arrays.stream(buckets).map(CountAtBucket::count)).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(registry.get("bulwark.http.server.requests")
                        .tags("method", "POST", "status", "5xx")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("bulwark.http.server.requests.active").gauge().value())
                .isZero();
        assertThat(metrics.slos()).isEqualTo(RequestMetrics.DEFAULT_SLOS);
    }

    @Test
    void unboundedValuesNeverBecomeTags() {
        RequestMetrics metrics = new RequestMetrics(registry);
        metrics.onStarted();
        metrics.onCompleted("X-ATTACKER-METHOD", 999, "/r", 1, null);
        assertThat(registry.get("bulwark.http.server.requests")
                        .tags("method", "OTHER", "status", "UNKNOWN")
                        .timer()
                        .count())
                .isEqualTo(1);
        for (int i = 0; i < RequestMetrics.MAX_ROUTES + 10; i++) {
            metrics.onCompleted("GET", 200, "/route/" + i, 1, null);
        }
        assertThat(registry.find("bulwark.http.server.requests").timers())
                .hasSizeLessThanOrEqualTo(RequestMetrics.MAX_ROUTES + 2);
        assertThat(registry.get("bulwark.http.server.requests")
                        .tag("route", "OTHER")
                        .timer()
                        .count())
                .isEqualTo(11); // "/r" took the first of the MAX_ROUTES slots
    }

    @Test
    void rejectionsAreCountedByCapabilityAndReasonAndKnownOnesStartAtZero() {
        RequestMetrics metrics = new RequestMetrics(registry, List.of(Duration.ofSeconds(1)), Tags.of("app", "x"));
        assertThat(registry.get("bulwark.rejections")
                        .tags("capability", "limits", "reason", "body_too_large", "app", "x")
                        .counter()
                        .count())
                .isZero();
        assertThat(registry.get("bulwark.rejections")
                        .tags("capability", "overload", "reason", "queue_full")
                        .counter()
                        .count())
                .isZero();
        metrics.onCompleted("POST", 429, "/login", 1, Rejection.of("ratelimit", "rejected"));
        metrics.onCompleted("POST", 429, "/login", 1, Rejection.of("ratelimit", "rejected"));
        metrics.onCompleted("OPTIONS", 403, "/api", 1, Rejection.of("cors", "origin_not_allowed"));
        assertThat(registry.get("bulwark.rejections")
                        .tags("capability", "ratelimit", "reason", "rejected")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("bulwark.rejections")
                        .tags("capability", "cors", "reason", "origin_not_allowed")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void theConcurrencyLimiterIsPublished() {
        RequestMetrics metrics = new RequestMetrics(registry);
        ConcurrencyLimiter limiter =
                ConcurrencyLimiter.builder().maxConcurrent(1).maxQueue(0).build();
        metrics.monitor(limiter);
        limiter.tryAcquire();
        limiter.tryAcquire();
        assertThat(registry.get("bulwark.overload.in.flight").gauge().value()).isEqualTo(1);
        assertThat(registry.get("bulwark.overload.queued").gauge().value()).isZero();
        assertThat(registry.get("bulwark.overload.admitted").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("bulwark.overload.rejected")
                        .tag("reason", "queue_full")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("bulwark.overload.rejected")
                        .tag("reason", "queue_timeout")
                        .functionCounter()
                        .count())
                .isZero();
        assertThat(AdmissionDecision.ADMITTED.rejection()).isNull();
    }

    @Test
    void bucketsMustBePositive() {
        assertThatThrownBy(() -> new RequestMetrics(registry, List.of(Duration.ZERO), Tags.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metrics SLO bucket must be positive: PT0S");
    }
}
