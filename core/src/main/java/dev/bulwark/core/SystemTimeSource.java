package dev.bulwark.core;

import java.time.Instant;

/** The system clock. Stateless and safe for concurrent use. */
enum SystemTimeSource implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
