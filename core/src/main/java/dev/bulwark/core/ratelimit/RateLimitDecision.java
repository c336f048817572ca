package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The verdict of {@link RateLimiter#evaluate} for one HTTP request. The rate-limit headers have already been written;
 * the caller only routes.
 *
 * <p>Immutable and safe for concurrent use. The passing outcomes are shared constants, so deciding to let a request
 * through allocates nothing.
 */
public final class RateLimitDecision {

    /** The request passed every policy that applied (or would have, in dry-run mode only the headers tell). */
    public static final RateLimitDecision ALLOWED = new RateLimitDecision(Outcome.ALLOWED, null, 0);

    /** The request is exempt: a health endpoint, a CORS preflight, an exempt path or an allow-listed address. */
    public static final RateLimitDecision EXEMPT = new RateLimitDecision(Outcome.EXEMPT, null, 0);

    /** No policy applied to the request. */
    public static final RateLimitDecision NOT_LIMITED = new RateLimitDecision(Outcome.NOT_LIMITED, null, 0);

    /** What to do with the request. */
    public enum Outcome {
        /** Let the request through. */
        ALLOWED,
        /** Let the request through; it is not counted. */
        EXEMPT,
        /** Let the request through; no policy applied. */
        NOT_LIMITED,
        /** Answer with the rejection status, {@code Retry-After} and body instead of calling the application. */
        REJECTED,
        /**
         * The bucket store could not decide and is configured to fail closed: answer {@code 503} with
         * {@code Retry-After} instead of calling the application.
         */
        UNAVAILABLE
    }

    private final Outcome outcome;
    private final @Nullable String policy;
    private final long retryAfterSeconds;

    private RateLimitDecision(Outcome outcome, @Nullable String policy, long retryAfterSeconds) {
        this.outcome = outcome;
        this.policy = policy;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static RateLimitDecision unavailable(String policy, long retryAfterSeconds) {
        return new RateLimitDecision(Outcome.UNAVAILABLE, requireNonNull(policy), Math.max(1, retryAfterSeconds));
    }

    static RateLimitDecision rejected(String policy, long retryAfterSeconds) {
        return new RateLimitDecision(Outcome.REJECTED, requireNonNull(policy), Math.max(1, retryAfterSeconds));
    }

    /** Returns what to do with the request. */
    public Outcome outcome() {
        return outcome;
    }

    /** Returns whether the request must be refused: {@link Outcome#REJECTED} or {@link Outcome#UNAVAILABLE}. */
    public boolean rejected() {
        return outcome == Outcome.REJECTED || outcome == Outcome.UNAVAILABLE;
    }

    /** Returns the policy that rejected the request (the one with the longest wait), or {@code null}. */
    public @Nullable String policy() {
        return policy;
    }

    /** Returns the {@code Retry-After} value in whole seconds, rounded up, at least 1; 0 unless refused. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public String toString() {
        return rejected()
                ? "RateLimitDecision[" + outcome + " by " + policy + ", retry after " + retryAfterSeconds + " s]"
                : "RateLimitDecision[" + outcome + "]";
    }
}
