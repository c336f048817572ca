package dev.bulwark.core.metrics;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.health.GroupResult;
import dev.bulwark.core.health.HealthListener;
import dev.bulwark.core.health.ProbeResult;
import dev.bulwark.core.health.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Publishes health results to Micrometer, as a {@link HealthListener} given to {@code HealthRegistry.Builder.listener}.
 *
 * <ul>
 *   <li>{@code bulwark.health.probe.status{probe}} gauge: {@code 1} up, {@code 0.5} warn, {@code 0} down, {@code NaN}
 *       before the first check; after hysteresis.
 *   <li>{@code bulwark.health.group.status{group}} gauge: the same scale, for the latest evaluation of each group.
 *   <li>{@code bulwark.health.probe.duration{probe}} timer: the duration of each completed check (a timed-out check
 *       records its timeout).
 * </ul>
 *
 * <p>Tags are probe and group names only, which are fixed at startup, so the number of meters is bounded. Meters are
 * registered when the health registry is built ({@link #onRegistered}); a name seen later (not expected) is registered
 * on first use. Safe for concurrent use; every callback is lock-free after registration.
 *
 * <pre>{@code
 * HealthRegistry health = HealthRegistry.builder()
 *     .probe(db)
 *     .listener(new HealthMetrics(meterRegistry))
 *     .build();
 * }</pre>
 */
public final class HealthMetrics implements HealthListener {

    /** The probe status gauge name. */
    public static final String PROBE_STATUS = "bulwark.health.probe.status";

    /** The group status gauge name. */
    public static final String GROUP_STATUS = "bulwark.health.group.status";

    /** The probe duration timer name. */
    public static final String PROBE_DURATION = "bulwark.health.probe.duration";

    private static final int MAX_METERS = 1024;

    private final MeterRegistry registry;
    private final ConcurrentMap<String, AtomicLong> probeStatus = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> groupStatus = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> durations = new ConcurrentHashMap<>();

    /** Creates a binder that registers its meters in the given registry. */
    public HealthMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
    }

    /**
     * Returns the gauge value for a status: {@code 1} for {@link Status#UP}, {@code 0.5} for {@link Status#WARN},
     * {@code 0} for {@link Status#DOWN}.
     */
    public static double value(Status status) {
        return switch (status) {
            case UP -> 1.0;
            case WARN -> 0.5;
            case DOWN -> 0.0;
        };
    }

    @Override
    public void onRegistered(Set<String> probes, Set<String> groups) {
        probes.forEach(p -> {
            probeGauge(p);
            timer(p);
        });
        groups.forEach(this::groupGauge);
    }

    @Override
    public void onProbeResult(String probe, ProbeResult result) {
        AtomicLong gauge = probeGauge(probe);
        if (gauge != null) {
            gauge.set(Double.doubleToLongBits(value(result.status())));
        }
        Timer timer = timer(probe);
        if (timer != null) {
            timer.record(result.duration());
        }
    }

    @Override
    public void onGroupResult(GroupResult result) {
        AtomicLong gauge = groupGauge(result.group());
        if (gauge != null) {
            gauge.set(Double.doubleToLongBits(value(result.status())));
        }
    }

    private @Nullable AtomicLong probeGauge(String probe) {
        return gauge(probeStatus, PROBE_STATUS, "probe", probe, "health status of the probe: 1 up, 0.5 warn, 0 down");
    }

    private @Nullable AtomicLong groupGauge(String group) {
        return gauge(groupStatus, GROUP_STATUS, "group", group, "health status of the group: 1 up, 0.5 warn, 0 down");
    }

    private @Nullable AtomicLong gauge(
            ConcurrentMap<String, AtomicLong> map, String name, String tag, String value, String description) {
        AtomicLong holder = map.get(value);
        if (holder != null || map.size() >= MAX_METERS) {
            return holder;
        }
        return map.computeIfAbsent(value, v -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
            Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                    .tag(tag, v)
                    .description(description)
                    .register(registry);
            return bits;
        });
    }

    private @Nullable Timer timer(String probe) {
        Timer timer = durations.get(probe);
        if (timer != null || durations.size() >= MAX_METERS) {
            return timer;
        }
        return durations.computeIfAbsent(probe, p -> Timer.builder(PROBE_DURATION)
                .tag("probe", p)
                .description("duration of health probe checks")
                .register(registry));
    }

    @Override
    public String toString() {
        return "HealthMetrics{" + registry.getClass().getSimpleName() + "}";
    }
}
