package dev.bulwark.core.health;

/**
 * How much a health response reveals. The default everywhere is {@link #NEVER}, so that a health endpoint on a public
 * port leaks no infrastructure detail (probe names, hosts, exception messages).
 *
 * <p>Enum constants are immutable and safe for concurrent use.
 */
public enum HealthDetails {
    /** Only the overall status (default). */
    NEVER,
    /**
     * The overall status and, per check, its status, response time, time and a short non-sensitive error (an exception
     * class or {@code timed out after 200 ms}); no messages, no details.
     */
    CHECKS,
    /**
     * {@link #ALWAYS} for requests the integration considers authorized, {@link #NEVER} for the others; see {@link
     * #resolve(boolean)}.
     */
    WHEN_AUTHORIZED,
    /** Everything: per-check output with messages and the probes' details. */
    ALWAYS;

    /**
     * Returns the level to render for one request: {@link #WHEN_AUTHORIZED} becomes {@link #ALWAYS} or {@link #NEVER};
     * the other levels stay as they are.
     *
     * @param authorized whether the request is authorized to see details (decided by the integration)
     */
    public HealthDetails resolve(boolean authorized) {
        if (this == WHEN_AUTHORIZED) {
            return authorized ? ALWAYS : NEVER;
        }
        return this;
    }
}
