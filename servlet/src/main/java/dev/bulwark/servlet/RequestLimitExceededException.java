package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.limits.LimitDecision;
import java.io.IOException;

/**
 * Thrown to the application when the request body it is reading (or the form or multipart request it is parsing)
 * broke a {@link dev.bulwark.core.limits.RequestLimits limit}. By then {@link RequestLimitsFilter} has already
 * answered the client ({@code 413} or {@code 400} with a problem document) unless the response was committed, in
 * which case the connection is closed; the application should let the exception propagate.
 *
 * <p>It is an {@link IOException} because it interrupts a read; {@code getParameter*} calls, which cannot throw one,
 * wrap it in an {@link java.io.UncheckedIOException}. Instances are immutable.
 */
public final class RequestLimitExceededException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient LimitDecision decision;

    /** Creates the exception for a broken limit. */
    public RequestLimitExceededException(LimitDecision decision) {
        super(requireNonNull(decision, "decision").detail());
        this.decision = decision;
    }

    /** Returns the limit that was broken. */
    public LimitDecision decision() {
        return decision;
    }

    /** Returns whether a throwable is, or was caused by, a {@code RequestLimitExceededException}. */
    static boolean causedBy(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RequestLimitExceededException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
