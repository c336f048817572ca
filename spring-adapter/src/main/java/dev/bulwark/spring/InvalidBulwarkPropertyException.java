package dev.bulwark.spring;

import dev.bulwark.core.internal.Checks;

/**
 * Thrown at startup when a {@code bulwark.*} property holds a value Bulwark rejects; names the property, the value
 * and the fix. {@link BulwarkFailureAnalyzer} turns it into a readable startup failure report.
 */
public class InvalidBulwarkPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;
    private final String reason;

    /** Creates the exception. */
    public InvalidBulwarkPropertyException(String property, Object value, String reason, Throwable cause) {
        super("invalid value for " + property + " ('" + Checks.escape(String.valueOf(value)) + "'): " + reason, cause);
        this.property = property;
        this.value = Checks.escape(String.valueOf(value));
        this.reason = reason;
    }

    /** Returns the property name, such as {@code bulwark.client.trusted-proxies}. */
    public String property() {
        return property;
    }

    /** Returns the rejected value, with control characters escaped. */
    public String value() {
        return value;
    }

    /** Returns why it was rejected and how to fix it. */
    public String reason() {
        return reason;
    }
}
