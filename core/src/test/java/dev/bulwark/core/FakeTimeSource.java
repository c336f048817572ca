package dev.bulwark.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A hand-driven {@link TimeSource} for tests: time moves only when {@link #advance(Duration)} is called. */
public final class FakeTimeSource implements TimeSource {

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    /** Starts far from zero so that code never mistakes the origin for "unset". */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

    private final long origin = nanos.get();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return EPOCH.plusNanos(nanos.get() - origin);
    }

    /** Moves both clocks forward. */
    public FakeTimeSource advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }
}
