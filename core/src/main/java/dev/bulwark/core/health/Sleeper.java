package dev.bulwark.core.health;

import java.time.Duration;

/**
 * Waits for a duration; injectable so that tests of {@link StartupGate} and {@link GracefulShutdown} run without
 * sleeping.
 *
 * <p>Implementations must be thread-safe. {@link #system()} sleeps with {@link Thread#sleep(long)}.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for the duration.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /** Returns a sleeper that calls {@link Thread#sleep(long, int)}. */
    static Sleeper system() {
        return duration -> {
            long nanos = duration.toNanos();
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }
}
