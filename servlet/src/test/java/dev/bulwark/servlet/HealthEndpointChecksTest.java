package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.health.HealthDetails;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthProbes;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.readiness.Readiness;
import dev.bulwark.core.readiness.ReadinessCheck;
import dev.bulwark.core.readiness.ReadinessContext;
import dev.bulwark.core.readiness.ReadinessFinding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health endpoint readiness checks, each firing and not firing. */
class HealthEndpointChecksTest {

    private final ReadinessCheck check = new HealthEndpointChecks();

    private List<String> ids(ReadinessContext context) {
        return check.check(context).stream().map(ReadinessFinding::id).toList();
    }

    @Test
    void isDiscoveredAsABuiltInCheck() {
        assertThat(Readiness.builtInChecks()).anyMatch(c -> c instanceof HealthEndpointChecks);
    }

    @Test
    void noEndpointsIsReported() {
        assertThat(ids(ReadinessContext.builder().build())).containsExactly("BW-E001");
    }

    @Test
    void safeEndpointsReportNothing() {
        try (HealthRegistry registry = HealthRegistry.builder()
                .probe(HealthProbe.builder("deadlocks", HealthProbes.deadlocks())
                        .groups(HealthRegistry.LIVENESS)
                        .build())
                .probe(HealthProbe.builder("db", timeout -> ProbeResult.up()).build())
                .build()) {
            ReadinessContext context = ReadinessContext.builder()
                    .component(HealthFilter.class, HealthFilter.of(registry))
                    .build();
            assertThat(ids(context)).isEmpty();
        }
    }

    @Test
    void publicDetailsAndExternalLivenessProbesAreReported() {
        try (HealthRegistry registry = HealthRegistry.builder()
                .probe(HealthProbe.builder("db", timeout -> ProbeResult.up())
                        .groups(HealthRegistry.LIVENESS, HealthRegistry.READINESS)
                        .build())
                .build()) {
            HealthFilter filter =
                    HealthFilter.builder(registry).details(HealthDetails.ALWAYS).build();
            List<ReadinessFinding> findings = check.check(ReadinessContext.builder()
                    .component(HealthFilter.class, filter)
                    .build());
            assertThat(findings).extracting(ReadinessFinding::id).containsExactly("BW-E002", "BW-E003");
            assertThat(findings.get(1).message()).contains("[db]");
        }
    }
}
