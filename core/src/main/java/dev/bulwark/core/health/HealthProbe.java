package dev.bulwark.core.health;

import static dev.bulwark.core.internal.Checks.escape;
import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A named health check with its settings: whether it is critical, its timeout and the groups it belongs to.
 *
 * <p>Implementations must be thread-safe; the settings must not change after registration. {@link #check()} is called
 * by {@link HealthRegistry} on its dedicated health pool (never on a request thread), at most once at a time per probe;
 * the engine stops waiting after {@link #timeout()} and reports {@link Status#DOWN} ({@code timed out after …}), so a
 * hung check cannot delay a health endpoint. Most probes are built with {@link #builder(String, ProbeCheck)} around a
 * {@link ProbeCheck} (a lambda or one of {@link HealthProbes}).
 *
 * <p>Defaults: critical, timeout {@value #DEFAULT_TIMEOUT_MILLIS} ms, group {@code readiness}. A failing critical probe
 * makes its groups {@link Status#DOWN} (HTTP 503); a failing non-critical probe makes them {@link Status#WARN} (HTTP
 * 200).
 *
 * <pre>{@code
 * HealthProbe db = HealthProbe.builder("postgres", HealthProbes.jdbc(dataSource))
 *     .timeout(Duration.ofMillis(500))
 *     .groups("readiness", "startup")
 *     .build();
 * HealthProbe queue = HealthProbe.builder("queue", timeout -> queue.isOpen() ? ProbeResult.up() : ProbeResult.down("closed"))
 *     .critical(false)
 *     .build();
 * }</pre>
 */
public interface HealthProbe {

    /**
     * The default probe timeout in milliseconds: below Kubernetes' default probe timeout of 1 s, so that the endpoint
     * answers before the kubelet gives up.
     */
    long DEFAULT_TIMEOUT_MILLIS = 500;

    /** Returns the probe name: 1-64 characters of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit. */
    String name();

    /** Returns whether a failure makes the group {@link Status#DOWN} (default) rather than {@link Status#WARN}. */
    default boolean critical() {
        return true;
    }

    /** Returns the timeout of one check (default {@value #DEFAULT_TIMEOUT_MILLIS} ms). */
    default Duration timeout() {
        return Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS);
    }

    /** Returns the groups this probe belongs to (default {@code readiness} only). */
    default Set<String> groups() {
        return Set.of(HealthRegistry.READINESS);
    }

    /**
     * Runs the check once. Called on the health pool; see the class documentation for the contract.
     *
     * @throws Exception when the check fails; reported as {@link Status#DOWN}
     */
    ProbeResult check() throws Exception;

    /**
     * Returns a builder for a probe that runs the given check.
     *
     * @param name the probe name, used as the JSON key ({@code name:responseTime}) and the metric tag
     * @throws IllegalArgumentException if the name is not valid
     */
    static Builder builder(String name, ProbeCheck check) {
        return new Builder(name, check);
    }

    /** Builds a {@link HealthProbe}; setters validate eagerly; not thread-safe; {@code build()} may be repeated. */
    final class Builder {
        private final String name;
        private final ProbeCheck check;
        private boolean critical = true;
        private Duration timeout = Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS);
        private Set<String> groups = Set.of(HealthRegistry.READINESS);

        private Builder(String name, ProbeCheck check) {
            this.name = requireName(requireNonNull(name, "name"));
            this.check = requireNonNull(check, "check");
        }

        /** Sets whether a failure makes the group {@link Status#DOWN} (default {@code true}). */
        public Builder critical(boolean critical) {
            this.critical = critical;
            return this;
        }

        /**
         * Sets the timeout of one check (default {@value #DEFAULT_TIMEOUT_MILLIS} ms).
         *
         * @throws IllegalArgumentException if the timeout is not within 1 ms..5 min
         */
        public Builder timeout(Duration timeout) {
            this.timeout = requireTimeout(requireNonNull(timeout, "timeout"), "probe timeout");
            return this;
        }

        /**
         * Replaces the groups (default {@code readiness}).
         *
         * @throws IllegalArgumentException if a group name is invalid or there is none
         */
        public Builder groups(String... groups) {
            return groups(Set.of(groups));
        }

        /**
         * Replaces the groups (default {@code readiness}).
         *
         * @throws IllegalArgumentException if a group name is invalid or there is none
         */
        public Builder groups(Collection<String> groups) {
            requireArgument(!groups.isEmpty(), "probe '%s' must belong to at least one group", name);
            Set<String> copy = new LinkedHashSet<>();
            for (String g : groups) {
                copy.add(requireGroupName(requireNonNull(g, "group")));
            }
            this.groups = Set.copyOf(copy);
            return this;
        }

        /** Returns the probe. */
        public HealthProbe build() {
            return new SimpleProbe(name, critical, timeout, groups, check);
        }
    }

    /** Validates a probe name. */
    private static String requireName(String name) {
        requireArgument(
                HealthText.isValidName(name),
                "probe name must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit: '%s'",
                escape(name));
        requireArgument(
                !GroupResult.LIFECYCLE_CHECK.equals(name),
                "probe name '%s' is reserved for the application lifecycle; choose another name",
                name);
        return name;
    }

    /** Validates a group name. */
    private static String requireGroupName(String group) {
        requireArgument(
                HealthText.isValidName(group),
                "group name must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit: '%s'",
                escape(group));
        return group;
    }

    /** Validates a timeout. */
    private static Duration requireTimeout(Duration timeout, String what) {
        requireArgument(
                timeout.compareTo(Duration.ofMillis(1)) >= 0 && timeout.compareTo(Duration.ofMinutes(5)) <= 0,
                "%s must be between 1 ms and 5 min: %s",
                what,
                timeout);
        return timeout;
    }
}
