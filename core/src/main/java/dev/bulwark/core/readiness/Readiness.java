package dev.bulwark.core.readiness;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs the readiness checks — Bulwark's equivalent of Django's {@code manage.py check --deploy} — and produces a
 * {@link ReadinessReport}.
 *
 * <p>Immutable and safe for concurrent use; builders are not thread-safe. By default every built-in check found with
 * {@link ServiceLoader} runs; silenced ids are dropped; findings recorded at runtime ({@link RuntimeFindings}) are
 * appended. A check that throws is reported as {@code BW-X001} rather than hiding the rest.
 *
 * <pre>{@code
 * ReadinessReport report = Readiness.builder().silenced(List.of("BW-R001")).build()
 *     .run(ReadinessContext.builder().component(SecurityHeadersPolicy.class, headers).production(true).build());
 * log.info(report.render());
 * report.failOn(ReadinessLevel.ERROR);
 * }</pre>
 */
public final class Readiness {

    private final List<ReadinessCheck> checks;
    private final Set<String> silenced;
    private final @Nullable RuntimeFindings runtime;

    private Readiness(Builder b) {
        this.checks = List.copyOf(b.checks);
        this.silenced = Set.copyOf(b.silenced);
        this.runtime = b.runtime;
    }

    /** Returns a builder with the built-in checks. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the built-in checks, found with {@link ServiceLoader} on this class's loader. */
    public static List<ReadinessCheck> builtInChecks() {
        List<ReadinessCheck> found = new ArrayList<>();
        ServiceLoader.load(ReadinessCheck.class, Readiness.class.getClassLoader())
                .forEach(found::add);
        return found;
    }

    /** Runs every check against the context. Never throws. */
    public ReadinessReport run(ReadinessContext context) {
        requireNonNull(context, "context");
        List<ReadinessFinding> findings = new ArrayList<>();
        for (ReadinessCheck check : checks) {
            try {
                findings.addAll(check.check(context));
            } catch (RuntimeException e) {
                findings.add(ReadinessFinding.warning(
                        "BW-X001",
                        "readiness check " + check.getClass().getName() + " failed: "
                                + e.getClass().getName(),
                        "report this; the other checks still ran"));
            }
        }
        if (runtime != null) {
            findings.addAll(runtime.findings());
        }
        findings.removeIf(f -> silenced.contains(f.id()));
        return new ReadinessReport(findings);
    }

    /** Returns the checks that run. */
    public List<ReadinessCheck> checks() {
        return checks;
    }

    /** Builds a {@link Readiness}. Not thread-safe. */
    public static final class Builder {
        private final List<ReadinessCheck> checks = new ArrayList<>(builtInChecks());
        private final Set<String> silenced = new LinkedHashSet<>();
        private @Nullable RuntimeFindings runtime;

        private Builder() {}

        /** Adds a check. */
        public Builder check(ReadinessCheck check) {
            checks.add(requireNonNull(check, "check"));
            return this;
        }

        /** Removes every check, the built-in ones included. */
        public Builder clearChecks() {
            checks.clear();
            return this;
        }

        /**
         * Silences findings by id, such as {@code BW-R001}.
         *
         * @throws IllegalArgumentException if an id is not of the form {@code BW-…}
         */
        public Builder silenced(Collection<String> ids) {
            for (String id : requireNonNull(ids, "ids")) {
                String trimmed = requireNonNull(id, "ids element").strip();
                Checks.requireArgument(
                        ReadinessFinding.isValidId(trimmed), "silenced id must look like BW-H001: '%s'", id);
                silenced.add(trimmed);
            }
            return this;
        }

        /** Includes findings recorded while serving. */
        public Builder runtime(RuntimeFindings runtime) {
            this.runtime = requireNonNull(runtime, "runtime");
            return this;
        }

        /** Builds the runner. */
        public Readiness build() {
            return new Readiness(this);
        }
    }
}
