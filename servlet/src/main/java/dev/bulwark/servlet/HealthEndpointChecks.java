package dev.bulwark.servlet;

import dev.bulwark.core.health.HealthDetails;
import dev.bulwark.core.health.HealthProbe;
import dev.bulwark.core.health.HealthRegistry;
import dev.bulwark.core.readiness.ReadinessCheck;
import dev.bulwark.core.readiness.ReadinessContext;
import dev.bulwark.core.readiness.ReadinessFinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Health endpoint checks: {@code BW-E001} no health endpoints, {@code BW-E002} probe details shown to everyone, {@code
 * BW-E003} the liveness group depends on probes other than the process's own (a dependency outage would restart every
 * instance). Reads the {@link HealthFilter} component. Stateless; found through {@link java.util.ServiceLoader}.
 */
public final class HealthEndpointChecks implements ReadinessCheck {

    /** Probes that look only at this process. */
    private static final List<String> LOCAL_PROBES = List.of("deadlocks");

    @Override
    public List<ReadinessFinding> check(ReadinessContext context) {
        List<ReadinessFinding> findings = new ArrayList<>();
        Optional<HealthFilter> found = context.component(HealthFilter.class);
        if (found.isEmpty()) {
            findings.add(ReadinessFinding.warning(
                    "BW-E001",
                    "no health endpoints: orchestrators and load balancers cannot tell a broken instance",
                    "enable bulwark.health (/health/live, /health/ready, /health/started)"));
            return findings;
        }
        HealthFilter filter = found.get();
        if (filter.details() == HealthDetails.ALWAYS) {
            findings.add(ReadinessFinding.warning(
                    "BW-E002",
                    "health endpoints show probe details and error messages to every caller: host names, versions "
                            + "and errors leak",
                    "set bulwark.health.details=never (or when-authorized with authorized-networks)"));
        }
        HealthRegistry registry = filter.registry();
        List<String> external = new ArrayList<>();
        for (HealthProbe probe : registry.probes()) {
            if (probe.groups().contains(HealthRegistry.LIVENESS) && !LOCAL_PROBES.contains(probe.name())) {
                external.add(probe.name());
            }
        }
        if (!external.isEmpty()) {
            findings.add(ReadinessFinding.warning(
                    "BW-E003",
                    "the liveness group checks " + external + ": if such a dependency fails, every instance is "
                            + "restarted at once",
                    "keep liveness to the process itself; put dependencies in readiness"));
        }
        return findings;
    }
}
