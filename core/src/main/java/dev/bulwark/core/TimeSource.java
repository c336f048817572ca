package dev.bulwark.core;

import java.time.Instant;

/**
 * Supplies time to Bulwark's components: a monotonic clock for measuring durations and a wall clock for timestamps.
 *
 * <p>Implementations must be thread-safe; both methods are called on request threads and must be fast and
 * non-blocking. {@link #system()} is the default everywhere; tests inject a hand-driven fake, as Caffeine's
 * {@code Ticker} and bucket4j's {@code TimeMeter} allow.
 */
public interface TimeSource {

    /**
     * Returns the current value of a monotonic clock in nanoseconds. Only differences between two values are
     * meaningful (as with {@link System#nanoTime()}); the value never goes backwards.
     */
    long nanoTime();

    /** Returns the current wall-clock time, for timestamps in logs, headers and reports. */
    Instant now();

    /** Returns the system clock: {@link System#nanoTime()} and {@link Instant#now()}. Safe for concurrent use. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
