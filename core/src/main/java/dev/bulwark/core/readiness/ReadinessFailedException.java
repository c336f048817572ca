package dev.bulwark.core.readiness;

import static java.util.Objects.requireNonNull;

/**
 * Thrown when a readiness report reaches the configured {@code fail-on} level: the application is not fit for
 * production as configured. The message lists every finding at or above that level with its hint.
 */
public final class ReadinessFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ReadinessReport report;

    ReadinessFailedException(ReadinessReport report, ReadinessLevel failOn) {
        super(message(report, failOn));
        this.report = requireNonNull(report, "report");
    }

    private static String message(ReadinessReport report, ReadinessLevel failOn) {
        StringBuilder text = new StringBuilder("production readiness check failed at level ")
                .append(failOn)
                .append(" (set bulwark.readiness.fail-on, or silence ids with bulwark.readiness.silenced):");
        for (ReadinessFinding finding : report.findings()) {
            if (finding.level().compareTo(failOn) >= 0) {
                text.append(System.lineSeparator()).append("  ").append(finding);
            }
        }
        return text.toString();
    }

    /** Returns the report that failed. */
    public ReadinessReport report() {
        return report;
    }
}
