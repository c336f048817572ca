package dev.bulwark.core.health;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluated health of one group: the aggregated status and each check's result.
 *
 * <p>{@code checks} keeps registration order and may contain the synthetic check {@value #LIFECYCLE_CHECK} when the
 * application's lifecycle state makes the group fail (readiness and startup while starting, readiness while draining).
 * Instances are immutable and safe for concurrent use.
 *
 * @param group the group name
 * @param status the aggregated status: {@link Status#DOWN} if the lifecycle check or a critical probe is down, else
 *     {@link Status#WARN} if any probe is not up, else {@link Status#UP}
 * @param checks each probe's result by probe name (unmodifiable, in registration order)
 * @param time when the group was evaluated
 */
public record GroupResult(String group, Status status, Map<String, ProbeResult> checks, Instant time) {

    /** The name of the synthetic check that reports the application's lifecycle state. */
    public static final String LIFECYCLE_CHECK = "lifecycle";

    /** Creates a result and copies the checks. */
    public GroupResult {
        requireNonNull(group, "group");
        requireNonNull(status, "status");
        requireNonNull(time, "time");
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(checks, "checks")));
    }

    /** Returns the HTTP status code: {@code 200} for {@link Status#UP} and {@link Status#WARN}, {@code 503} else. */
    public int httpStatus() {
        return status.httpStatus();
    }
}
