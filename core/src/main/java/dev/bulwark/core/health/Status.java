package dev.bulwark.core.health;

/**
 * The status of a probe or a group of probes.
 *
 * <p>Ordered from best to worst, so that {@link #worse(Status)} aggregates. {@link #UP} and {@link #WARN} answer HTTP
 * {@code 200}; {@link #DOWN} answers {@code 503}. In {@code application/health+json} they are written {@code pass},
 * {@code warn} and {@code fail} (draft-inadarei-api-health-check section 3.1). Enum constants are immutable and safe
 * for concurrent use.
 */
public enum Status {
    /** Healthy. */
    UP("pass"),
    /** Working but degraded: a non-critical probe failed, or a probe reported a warning (for example a saturated pool). */
    WARN("warn"),
    /** Not healthy: a critical probe failed, timed out or threw. */
    DOWN("fail");

    private final String healthJson;

    Status(String healthJson) {
        this.healthJson = healthJson;
    }

    /** Returns the value written in {@code application/health+json}: {@code pass}, {@code warn} or {@code fail}. */
    public String healthJson() {
        return healthJson;
    }

    /** Returns the HTTP status code for this status: {@code 200} for {@link #UP} and {@link #WARN}, {@code 503} else. */
    public int httpStatus() {
        return this == DOWN ? 503 : 200;
    }

    /** Returns the worse of this status and the other one. */
    public Status worse(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
