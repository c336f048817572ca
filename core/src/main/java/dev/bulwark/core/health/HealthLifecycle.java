package dev.bulwark.core.health;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's lifecycle as health endpoints see it, plus the count of requests in flight.
 *
 * <p>States only move forward: {@link State#STARTING} → {@link State#STARTED} → {@link State#DRAINING} → {@link
 * State#STOPPED}. Readiness is {@link Status#DOWN} unless the state is {@link State#STARTED}; startup is {@link
 * Status#DOWN} while {@link State#STARTING}; liveness ignores the lifecycle. A new lifecycle starts in {@link
 * State#STARTING}, so readiness answers 503 until the framework integration calls {@link #markStarted()}.
 *
 * <p>The in-flight counter is maintained by the servlet filter ({@link #requestStarted()} before the chain, {@link
 * #requestFinished()} in a {@code finally} block or when an async request completes) and read by {@link
 * GracefulShutdown}. Instances are safe for concurrent use; every method is lock-free.
 */
public final class HealthLifecycle {

    /** A lifecycle state. */
    public enum State {
        /** The application is starting; readiness and startup are down. */
        STARTING,
        /** The application has started and serves traffic; readiness and startup are up. */
        STARTED,
        /** The application is shutting down: readiness is down, in-flight requests finish. */
        DRAINING,
        /** The application has stopped. */
        STOPPED
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicInteger inFlight = new AtomicInteger();

    private HealthLifecycle() {}

    /** Returns a new lifecycle in {@link State#STARTING}. */
    public static HealthLifecycle create() {
        return new HealthLifecycle();
    }

    /** Returns the current state. */
    public State state() {
        return state.get();
    }

    /**
     * Marks the application as started (readiness may now answer 200).
     *
     * @return whether the state changed (false once started, draining or stopped)
     */
    public boolean markStarted() {
        return advance(State.STARTED);
    }

    /**
     * Marks the application as draining: readiness answers 503 from now on.
     *
     * @return whether the state changed
     */
    public boolean markDraining() {
        return advance(State.DRAINING);
    }

    /**
     * Marks the application as stopped.
     *
     * @return whether the state changed
     */
    public boolean markStopped() {
        return advance(State.STOPPED);
    }

    private boolean advance(State target) {
        while (true) {
            State current = state.get();
            if (current.ordinal() >= target.ordinal()) {
                return false;
            }
            if (state.compareAndSet(current, target)) {
                return true;
            }
        }
    }

    /** Counts a request that entered the application. Request thread; lock-free. */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** Counts a request that finished; never goes below zero. Request thread; lock-free. */
    public void requestFinished() {
        inFlight.getAndUpdate(n -> n > 0 ? n - 1 : 0);
    }

    /** Returns the number of requests in flight. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public String toString() {
        return "HealthLifecycle{" + state.get() + ", inFlight=" + inFlight.get() + "}";
    }
}
