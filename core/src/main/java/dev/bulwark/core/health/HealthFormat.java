package dev.bulwark.core.health;

/**
 * The body format of a health response. Enum constants are immutable and safe for concurrent use.
 */
public enum HealthFormat {
    /**
     * {@code application/health+json} (draft-inadarei-api-health-check): {@code status} is {@code pass}, {@code warn}
     * or {@code fail}; {@code checks} (when details allow) are keyed {@code name:responseTime} with {@code
     * observedValue} in milliseconds, {@code observedUnit} {@code ms}, {@code status} and {@code time}.
     */
    HEALTH_JSON("application/health+json"),
    /** {@code application/json} with only {@code {"status":"UP"}} ({@code UP}, {@code WARN} or {@code DOWN}). */
    MINIMAL("application/json");

    private final String contentType;

    HealthFormat(String contentType) {
        this.contentType = contentType;
    }

    /** Returns the media type, without parameters (the body is always UTF-8 JSON). */
    public String mediaType() {
        return contentType;
    }
}
