package dev.bulwark.core.health;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by {@link StartupGate#await()} when a dependency did not become available: the message names the dependency,
 * the attempts, the time spent and the last error. Instances are immutable.
 */
public final class StartupGateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String dependency;
    private final int attempts;
    private final String lastError;

    StartupGateException(String message, String dependency, int attempts, String lastError) {
        super(requireNonNull(message, "message"));
        this.dependency = dependency;
        this.attempts = attempts;
        this.lastError = lastError;
    }

    /** Returns the name of the probe that did not become available. */
    public String dependency() {
        return dependency;
    }

    /** Returns how many checks were made. */
    public int attempts() {
        return attempts;
    }

    /** Returns the last error, as in the log ({@link ProbeResult#describe()}). */
    public String lastError() {
        return lastError;
    }
}
