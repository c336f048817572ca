package dev.bulwark.core.limits;

import dev.bulwark.core.Rejection;
import org.jspecify.annotations.Nullable;

/** The verdict of {@link ConcurrencyLimiter#tryAcquire()}: admitted, or why not. Immutable and safe for concurrent use. */
public enum AdmissionDecision {
    /** A slot was granted: run the request, then {@link ConcurrencyLimiter#release()} exactly once. */
    ADMITTED(null),
    /** Every slot was taken and the wait queue was full: answer {@code 503} at once. */
    QUEUE_FULL(Rejection.of(Rejection.OVERLOAD, "queue_full")),
    /** The request waited in the queue for the whole queue timeout (or was interrupted): answer {@code 503}. */
    QUEUE_TIMEOUT(Rejection.of(Rejection.OVERLOAD, "queue_timeout"));

    private final @Nullable Rejection rejection;

    AdmissionDecision(@Nullable Rejection rejection) {
        this.rejection = rejection;
    }

    /** Returns whether the request may run. */
    public boolean admitted() {
        return this == ADMITTED;
    }

    /** Returns the rejection to report ({@code overload/queue_full}, {@code overload/queue_timeout}), or null. */
    public @Nullable Rejection rejection() {
        return rejection;
    }
}
