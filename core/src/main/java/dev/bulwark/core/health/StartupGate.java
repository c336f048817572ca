package dev.bulwark.core.health;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, before the application serves, until named probes answer (the seed's {@code wait_for_db}), with capped
 * exponential backoff and full jitter, bounded by a number of attempts and an overall deadline.
 *
 * <p>After failed attempt {@code n} (1-based) the gate sleeps {@code random(0, min(maxDelay, initialDelay ·
 * multiplier^(n-1)))}: "full jitter" applied <em>after</em> the cap, so the spread does not collapse once the cap is
 * reached (Resilience4j caps after randomising). Defaults are the seed's: 2 s initial, ×2, 10 s cap, 30 attempts, and
 * an overall deadline of 5 min, which should fit the orchestrator's startup budget. Each failed attempt is logged at
 * INFO:
 *
 * <pre>{@code
 * waiting for postgres (attempt 3/30, next in 7.4s): connection refused
 * }</pre>
 *
 * <p>Dependencies are awaited in the given order; each check runs on the registry's health pool with the probe's
 * timeout ({@link HealthRegistry#checkNow(String)}). {@link Status#WARN} counts as available. On exhaustion {@link
 * #await()} throws {@link StartupGateException} naming the dependency and the last error. Instances are immutable and
 * safe for concurrent use (each {@code await()} call waits on its own); builders are not thread-safe.
 */
public final class StartupGate {

    private static final Logger log = LoggerFactory.getLogger(StartupGate.class);

    private final HealthRegistry registry;
    private final List<String> dependencies;
    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final int maxAttempts;
    private final Duration deadline;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final TimeSource time;

    private StartupGate(Builder b) {
        this.registry = b.registry;
        this.dependencies = List.copyOf(b.dependencies);
        this.initialDelay = b.initialDelay;
        this.multiplier = b.multiplier;
        this.maxDelay = b.maxDelay;
        this.maxAttempts = b.maxAttempts;
        this.deadline = b.deadline;
        this.sleeper = b.sleeper;
        this.random = b.random;
        this.time = b.time;
    }

    /** Returns a builder that checks probes of the given registry. */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(registry);
    }

    /** Returns the probe names awaited, in order. */
    public List<String> dependencies() {
        return dependencies;
    }

    /**
     * Returns the upper bound of the sleep after failed attempt {@code attempt} (1-based): {@code min(maxDelay,
     * initialDelay · multiplier^(attempt-1))}. The actual sleep is uniformly random below it.
     */
    public Duration backoffCeiling(int attempt) {
        requireArgument(attempt >= 1, "attempt must be at least 1: %s", attempt);
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
        return nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
    }

    /**
     * Waits until every dependency is available.
     *
     * @throws StartupGateException if a dependency is still down after the maximum attempts or at the deadline, or the
     *     thread is interrupted (the interrupt flag is restored)
     */
    public void await() {
        long start = time.nanoTime();
        long end = start + deadline.toNanos();
        for (String dependency : dependencies) {
            for (int attempt = 1; ; attempt++) {
                ProbeResult result = registry.checkNow(dependency);
                if (result.status() != Status.DOWN) {
                    if (attempt > 1) {
                        log.info("{} is available after {} attempts", dependency, attempt);
                    }
                    break;
                }
                String error = result.describe();
                Duration spent = Duration.ofNanos(Math.max(0, time.nanoTime() - start));
                if (attempt >= maxAttempts) {
                    log.info("waiting for {} (attempt {}/{}): {}", dependency, attempt, maxAttempts, error);
                    throw new StartupGateException(
                            dependency + " is not available after " + attempt + " attempts in "
                                    + HealthText.human(spent) + ": " + error
                                    + "; check that it is running and reachable, or allow more attempts",
                            dependency,
                            attempt,
                            error);
                }
                long remaining = end - time.nanoTime();
                if (remaining <= 0) {
                    log.info("waiting for {} (attempt {}/{}): {}", dependency, attempt, maxAttempts, error);
                    throw new StartupGateException(
                            dependency + " is not available within the startup deadline of "
                                    + HealthText.human(deadline) + " (" + attempt + " attempts): " + error
                                    + "; check that it is running and reachable, or raise the deadline",
                            dependency,
                            attempt,
                            error);
                }
                long ceiling = backoffCeiling(attempt).toNanos();
                double r = random.getAsDouble();
                r = r < 0 || Double.isNaN(r) ? 0 : Math.min(r, 1.0);
                long sleep = Math.min((long) (r * ceiling), remaining);
                Duration delay = Duration.ofNanos(sleep);
                log.info(
                        "waiting for {} (attempt {}/{}, next in {}): {}",
                        dependency,
                        attempt,
                        maxAttempts,
                        HealthText.seconds(delay),
                        error);
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StartupGateException(
                            "interrupted while waiting for " + dependency + " (attempt " + attempt + "): " + error,
                            dependency,
                            attempt,
                            error);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "StartupGate{" + dependencies + ", initialDelay=" + initialDelay + ", multiplier=" + multiplier
                + ", maxDelay=" + maxDelay + ", maxAttempts=" + maxAttempts + ", deadline=" + deadline + "}";
    }

    /** Builds a {@link StartupGate}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    public static final class Builder {
        private final HealthRegistry registry;
        private final List<String> dependencies = new ArrayList<>();
        private Duration initialDelay = Duration.ofSeconds(2);
        private double multiplier = 2.0;
        private Duration maxDelay = Duration.ofSeconds(10);
        private int maxAttempts = 30;
        private Duration deadline = Duration.ofMinutes(5);
        private Sleeper sleeper = Sleeper.system();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private TimeSource time = TimeSource.system();

        private Builder(HealthRegistry registry) {
            this.registry = requireNonNull(registry, "registry");
        }

        /**
         * Adds probes to wait for, by name.
         *
         * @throws IllegalArgumentException if the registry has no probe with such a name
         */
        public Builder waitFor(String... probes) {
            for (String p : probes) {
                requireNonNull(p, "probe");
                boolean known =
                        registry.probes().stream().anyMatch(x -> x.name().equals(p));
                requireArgument(
                        known,
                        "startup gate waits for unknown health probe '%s'; known probes: %s",
                        p,
                        registry.probes().stream().map(HealthProbe::name).toList());
                if (!dependencies.contains(p)) {
                    dependencies.add(p);
                }
            }
            return this;
        }

        /**
         * Sets the first backoff ceiling (default 2 s).
         *
         * @throws IllegalArgumentException if not within 1 ms..10 min
         */
        public Builder initialDelay(Duration delay) {
            requireNonNull(delay, "delay");
            requireArgument(
                    delay.compareTo(Duration.ofMillis(1)) >= 0 && delay.compareTo(Duration.ofMinutes(10)) <= 0,
                    "startup gate initial delay must be between 1 ms and 10 min: %s",
                    delay);
            this.initialDelay = delay;
            return this;
        }

        /**
         * Sets the backoff multiplier (default 2.0).
         *
         * @throws IllegalArgumentException if not within 1.0..10.0
         */
        public Builder multiplier(double multiplier) {
            requireArgument(
                    multiplier >= 1.0 && multiplier <= 10.0,
                    "startup gate multiplier must be between 1.0 and 10.0: %s",
                    multiplier);
            this.multiplier = multiplier;
            return this;
        }

        /**
         * Sets the backoff cap (default 10 s); jitter is applied to the capped value.
         *
         * @throws IllegalArgumentException if not within 1 ms..1 hour
         */
        public Builder maxDelay(Duration delay) {
            requireNonNull(delay, "delay");
            requireArgument(
                    delay.compareTo(Duration.ofMillis(1)) >= 0 && delay.compareTo(Duration.ofHours(1)) <= 0,
                    "startup gate max delay must be between 1 ms and 1 hour: %s",
                    delay);
            this.maxDelay = delay;
            return this;
        }

        /**
         * Sets the maximum number of checks per dependency (default 30).
         *
         * @throws IllegalArgumentException if not within 1..10000
         */
        public Builder maxAttempts(int attempts) {
            requireArgument(
                    attempts >= 1 && attempts <= 10_000, "startup gate max attempts must be 1..10000: %s", attempts);
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Sets the overall deadline for all dependencies (default 5 min).
         *
         * @throws IllegalArgumentException if not within 1 ms..24 hours
         */
        public Builder deadline(Duration deadline) {
            requireNonNull(deadline, "deadline");
            requireArgument(
                    deadline.compareTo(Duration.ofMillis(1)) >= 0 && deadline.compareTo(Duration.ofHours(24)) <= 0,
                    "startup gate deadline must be between 1 ms and 24 hours: %s",
                    deadline);
            this.deadline = deadline;
            return this;
        }

        /** Sets how the gate sleeps between attempts (default {@link Sleeper#system()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Sets the source of uniform random numbers in {@code [0, 1)} for the jitter (default thread-local random). */
        public Builder random(DoubleSupplier random) {
            this.random = requireNonNull(random, "random");
            return this;
        }

        /** Sets the clock for the deadline (default {@link TimeSource#system()}). */
        public Builder timeSource(TimeSource time) {
            this.time = requireNonNull(time, "time");
            return this;
        }

        /**
         * Returns the gate.
         *
         * @throws IllegalArgumentException if the cap is below the initial delay
         */
        public StartupGate build() {
            requireArgument(
                    maxDelay.compareTo(initialDelay) >= 0,
                    "startup gate max delay (%s) must not be shorter than the initial delay (%s)",
                    maxDelay,
                    initialDelay);
            return new StartupGate(this);
        }
    }
}
