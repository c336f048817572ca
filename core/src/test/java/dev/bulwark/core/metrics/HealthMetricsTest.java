package dev.bulwark.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.health.Status;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private double gauge(String name, String tag, String value) {
        return meters.get(name).tag(tag, value).gauge().value();
    }

    @Test
    void publishesProbeAndGroupStatusAndDurations() {
        try (HealthRegistry registry = HealthRegistry.builder()
                .listener(new HealthMetrics(meters))
                .probe(HealthProbe.builder("db", t -> {
                            Thread.sleep(20);
                            return ProbeResult.up();
                        })
                        .build())
                .probe(HealthProbe.builder("cache", t -> ProbeResult.down("gone"))
                        .critical(false)
                        .build())
                .probe(HealthProbe.builder("queue", t -> ProbeResult.warn("lagging"))
                        .groups("deep")
                        .build())
                .build()) {

            assertThat(gauge(HealthMetrics.PROBE_STATUS, "probe", "db")).isNaN();
            assertThat(gauge(HealthMetrics.GROUP_STATUS, "group", "liveness")).isNaN();

            registry.lifecycle().markStarted();
            registry.evaluate(HealthRegistry.READINESS);
            registry.evaluate(HealthRegistry.LIVENESS);
            registry.evaluate("deep");

            assertThat(gauge(HealthMetrics.PROBE_STATUS, "probe", "db")).isEqualTo(1.0);
            assertThat(gauge(HealthMetrics.PROBE_STATUS, "probe", "cache")).isEqualTo(0.0);
            assertThat(gauge(HealthMetrics.PROBE_STATUS, "probe", "queue")).isEqualTo(0.5);
            assertThat(gauge(HealthMetrics.GROUP_STATUS, "group", "readiness")).isEqualTo(0.5);
            assertThat(gauge(HealthMetrics.GROUP_STATUS, "group", "liveness")).isEqualTo(1.0);
            assertThat(gauge(HealthMetrics.GROUP_STATUS, "group", "deep")).isEqualTo(0.5);
            Timer db =
                    meters.get(HealthMetrics.PROBE_DURATION).tag("probe", "db").timer();
            assertThat(db.count()).isEqualTo(1);
            assertThat(db.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(19);
        }
    }

    @Test
    void tagsAreProbeAndGroupNamesOnly() {
        try (HealthRegistry registry = HealthRegistry.builder()
                .listener(new HealthMetrics(meters))
                .probe(HealthProbe.builder("db", t -> ProbeResult.up()).build())
                .build()) {
            registry.evaluate(HealthRegistry.READINESS);
        }
        meters.getMeters().forEach(m -> assertThat(m.getId().getTags())
                .extracting(io.micrometer.core.instrument.Tag::getKey)
                .containsAnyOf("probe", "group")
                .hasSize(1));
    }

    @Test
    void statusScaleIsDocumented() {
        assertThat(HealthMetrics.value(Status.UP)).isEqualTo(1.0);
        assertThat(HealthMetrics.value(Status.WARN)).isEqualTo(0.5);
        assertThat(HealthMetrics.value(Status.DOWN)).isEqualTo(0.0);
    }

    @Test
    void timedOutCheckRecordsItsTimeout() {
        try (HealthRegistry registry = HealthRegistry.builder()
                .listener(new HealthMetrics(meters))
                .probe(HealthProbe.builder("slow", t -> {
                            Thread.sleep(5_000);
                            return ProbeResult.up();
                        })
                        .timeout(Duration.ofMillis(50))
                        .build())
                .build()) {
            registry.lifecycle().markStarted();
            registry.evaluate(HealthRegistry.READINESS);
        }
        Timer slow =
                meters.get(HealthMetrics.PROBE_DURATION).tag("probe", "slow").timer();
        assertThat(slow.count()).isEqualTo(1);
        assertThat(slow.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(50.0);
        assertThat(gauge(HealthMetrics.PROBE_STATUS, "probe", "slow")).isEqualTo(0.0);
    }
}
