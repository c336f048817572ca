package dev.bulwark.core.ratelimit;

/**
 * The outcome of consuming tokens from a bucket, packed into one {@code long} so that a {@link BucketStore} answers
 * without allocating on the request path.
 *
 * <p>Stateless; all methods are static. Layout: bit 63 set means rejected. Bits 60 to 62 hold the index of the
 * binding rate (the one with the fewest tokens left, or the one that rejected); index 7 on a rejection means the store
 * itself could not answer ({@link #unavailable(long)}, for a fail-closed remote store). For an allowed request, bits 0
 * to 37 hold the tokens remaining (saturating at 2<sup>38</sup> − 1) and bits 38 to 59 the seconds until that rate is
 * full again (rounded up, saturating at about 48 days). For a rejected request, bits 0 to 59 hold the nanoseconds to
 * wait.
 */
public final class Consumption {

    private static final long REJECTED = Long.MIN_VALUE;
    private static final int INDEX_SHIFT = 60;
    private static final long INDEX_MASK = 0x7L;
    private static final long REMAINING_MASK = (1L << 38) - 1;
    private static final int RESET_SHIFT = 38;
    private static final long RESET_MASK = (1L << 22) - 1;
    private static final long WAIT_MASK = (1L << 60) - 1;
    private static final long UNAVAILABLE_INDEX = 7;

    private Consumption() {}

    /**
     * Encodes an allowed consumption.
     *
     * @param rateIndex index of the binding rate in the policy, 0 to 6
     * @param remaining tokens left in that rate's bandwidth
     * @param resetSeconds seconds until that bandwidth is full again
     */
    public static long allowed(int rateIndex, long remaining, long resetSeconds) {
        return ((rateIndex & INDEX_MASK) << INDEX_SHIFT)
                | (Math.min(Math.max(resetSeconds, 0), RESET_MASK) << RESET_SHIFT)
                | Math.min(Math.max(remaining, 0), REMAINING_MASK);
    }

    /**
     * Encodes a rejected consumption.
     *
     * @param rateIndex index of the rate that rejected, 0 to 6
     * @param waitNanos nanoseconds until the request's cost would be available
     */
    public static long rejected(int rateIndex, long waitNanos) {
        return REJECTED | ((rateIndex & INDEX_MASK) << INDEX_SHIFT) | Math.min(Math.max(waitNanos, 1), WAIT_MASK);
    }

    /**
     * Encodes "the store could not decide" for a store configured to fail closed: the request is refused with
     * {@code 503 Service Unavailable} rather than the rate-limit rejection.
     *
     * @param retryAfterNanos how long clients should wait before retrying
     */
    public static long unavailable(long retryAfterNanos) {
        return REJECTED | (UNAVAILABLE_INDEX << INDEX_SHIFT) | Math.min(Math.max(retryAfterNanos, 1), WAIT_MASK);
    }

    /** Returns whether the store could not decide ({@link #unavailable(long)}). */
    public static boolean isUnavailable(long consumption) {
        return consumption < 0 && ((consumption >>> INDEX_SHIFT) & INDEX_MASK) == UNAVAILABLE_INDEX;
    }

    /** Returns whether the consumption was allowed. */
    public static boolean isAllowed(long consumption) {
        return consumption >= 0;
    }

    /** Returns the index of the binding rate. */
    public static int rateIndex(long consumption) {
        return (int) ((consumption >>> INDEX_SHIFT) & INDEX_MASK);
    }

    /** Returns the tokens remaining; 0 when rejected. */
    public static long remaining(long consumption) {
        return consumption < 0 ? 0 : consumption & REMAINING_MASK;
    }

    /** Returns the seconds until the binding rate is full again; for a rejection, the wait rounded up. */
    public static long resetSeconds(long consumption) {
        return consumption < 0 ? ceilSeconds(waitNanos(consumption)) : (consumption >>> RESET_SHIFT) & RESET_MASK;
    }

    /** Returns the nanoseconds to wait before retrying; 0 when allowed. */
    public static long waitNanos(long consumption) {
        return consumption < 0 ? consumption & WAIT_MASK : 0;
    }

    /** Returns nanoseconds as whole seconds rounded up, at least 1 for any positive value. */
    static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos - 1) / 1_000_000_000L + 1;
    }
}
