package dev.bulwark.core.health;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shuts the application down gracefully: readiness flips to 503 at once, the drain delay lets load balancers notice,
 * then in-flight requests get up to the graceful timeout to finish.
 *
 * <p>Steps of {@link #shutdown()}: {@link HealthLifecycle#markDraining()} (readiness answers 503 from now on); sleep
 * the drain delay (default 0: set it to a few seconds more than the load balancer's health check interval, typically
 * 5-10 s behind Kubernetes or Traefik); wait until {@link HealthLifecycle#inFlight()} is 0, at most the graceful
 * timeout (default 30 s, Gunicorn's {@code graceful_timeout}), polling every 20 ms; then {@link
 * HealthLifecycle#markStopped()}. The drain delay plus the graceful timeout must fit the orchestrator's grace period
 * (Kubernetes {@code terminationGracePeriodSeconds}, 30 s by default).
 *
 * <p>Instances are immutable and safe for concurrent use (a second concurrent {@code shutdown()} just waits too);
 * builders are not thread-safe.
 */
public final class GracefulShutdown {

    /**
     * The outcome of a shutdown.
     *
     * @param drained whether every in-flight request finished within the graceful timeout
     * @param remaining the requests still in flight when waiting ended
     * @param elapsed the time spent, drain delay included
     */
    public record Result(boolean drained, int remaining, Duration elapsed) {}

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final Duration POLL = Duration.ofMillis(20);

    private final HealthLifecycle lifecycle;
    private final Duration drainDelay;
    private final Duration gracefulTimeout;
    private final Sleeper sleeper;
    private final TimeSource time;

    private GracefulShutdown(Builder b) {
        this.lifecycle = b.lifecycle;
        this.drainDelay = b.drainDelay;
        this.gracefulTimeout = b.gracefulTimeout;
        this.sleeper = b.sleeper;
        this.time = b.time;
    }

    /** Returns a builder for the given lifecycle. */
    public static Builder builder(HealthLifecycle lifecycle) {
        return new Builder(lifecycle);
    }

    /** Returns the drain delay. */
    public Duration drainDelay() {
        return drainDelay;
    }

    /** Returns the graceful timeout. */
    public Duration gracefulTimeout() {
        return gracefulTimeout;
    }

    /**
     * Flips readiness, waits the drain delay, then waits for in-flight requests at most the graceful timeout. If the
     * thread is interrupted, stops waiting, restores the interrupt flag and reports what remains.
     */
    public Result shutdown() {
        long start = time.nanoTime();
        lifecycle.markDraining();
        log.info(
                "draining: readiness is down; waiting {} before draining {} in-flight requests",
                HealthText.human(drainDelay),
                lifecycle.inFlight());
        try {
            if (!drainDelay.isZero()) {
                sleeper.sleep(drainDelay);
            }
            long end = time.nanoTime() + gracefulTimeout.toNanos();
            while (lifecycle.inFlight() > 0) {
                long remaining = end - time.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                sleeper.sleep(remaining < POLL.toNanos() ? Duration.ofNanos(remaining) : POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int remaining = lifecycle.inFlight();
        lifecycle.markStopped();
        Duration elapsed = Duration.ofNanos(Math.max(0, time.nanoTime() - start));
        if (remaining > 0) {
            log.warn(
                    "graceful shutdown timed out after {} with {} requests still in flight",
                    HealthText.human(elapsed),
                    remaining);
        } else {
            log.info("drained in {}", HealthText.human(elapsed));
        }
        return new Result(remaining == 0, remaining, elapsed);
    }

    @Override
    public String toString() {
        return "GracefulShutdown{drainDelay=" + drainDelay + ", gracefulTimeout=" + gracefulTimeout + "}";
    }

    /** Builds a {@link GracefulShutdown}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    public static final class Builder {
        private final HealthLifecycle lifecycle;
        private Duration drainDelay = Duration.ZERO;
        private Duration gracefulTimeout = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.system();
        private TimeSource time = TimeSource.system();

        private Builder(HealthLifecycle lifecycle) {
            this.lifecycle = requireNonNull(lifecycle, "lifecycle");
        }

        /**
         * Sets how long to wait after flipping readiness, so load balancers stop sending traffic (default 0).
         *
         * @throws IllegalArgumentException if negative or longer than 10 min
         */
        public Builder drainDelay(Duration delay) {
            requireNonNull(delay, "delay");
            requireArgument(
                    !delay.isNegative() && delay.compareTo(Duration.ofMinutes(10)) <= 0,
                    "drain delay must be between 0 and 10 min: %s",
                    delay);
            this.drainDelay = delay;
            return this;
        }

        /**
         * Sets how long in-flight requests may take to finish (default 30 s).
         *
         * @throws IllegalArgumentException if negative or longer than 1 hour
         */
        public Builder gracefulTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            requireArgument(
                    !timeout.isNegative() && timeout.compareTo(Duration.ofHours(1)) <= 0,
                    "graceful timeout must be between 0 and 1 hour: %s",
                    timeout);
            this.gracefulTimeout = timeout;
            return this;
        }

        /** Sets how to sleep (default {@link Sleeper#system()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Sets the clock (default {@link TimeSource#system()}). */
        public Builder timeSource(TimeSource time) {
            this.time = requireNonNull(time, "time");
            return this;
        }

        /** Returns the shutdown helper. */
        public GracefulShutdown build() {
            return new GracefulShutdown(this);
        }
    }
}
