package dev.bulwark.core.ratelimit;

/** The listener that does nothing. */
enum NoopRateLimitListener implements RateLimitListener {
    INSTANCE;

    @Override
    public String toString() {
        return "RateLimitListener.noop()";
    }
}
