package dev.bulwark.core.health;

import java.time.Duration;

/**
 * The work of a probe: checks one dependency or one aspect of the process and returns its result.
 *
 * <p>Implementations must be thread-safe. The engine calls them on its dedicated health pool (never on a request
 * thread), at most once at a time per probe, and gives up waiting after the probe's timeout; a check should still honour
 * the {@code timeout} it is given (socket timeouts, {@code Connection.isValid(seconds)}), so that a hung dependency does
 * not keep a pool thread busy for long, and should react to interruption. Throwing is allowed: the engine turns an
 * exception into {@link Status#DOWN} with the exception's class (its message is shown only when details are enabled).
 * The engine measures the duration and the time itself.
 */
@FunctionalInterface
public interface ProbeCheck {

    /**
     * Runs the check.
     *
     * @param timeout the probe's timeout, for the check's own I/O timeouts
     * @return the result; its duration and time are replaced by the engine's measurements
     * @throws Exception when the check fails; the engine reports {@link Status#DOWN}
     */
    ProbeResult check(Duration timeout) throws Exception;
}
