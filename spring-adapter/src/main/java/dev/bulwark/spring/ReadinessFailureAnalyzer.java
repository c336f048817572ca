package dev.bulwark.spring;

import dev.bulwark.core.readiness.ReadinessFailedException;
import dev.bulwark.core.readiness.ReadinessFinding;
import dev.bulwark.core.readiness.ReadinessLevel;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a startup refused by the production readiness report: each finding and its hint. */
class ReadinessFailureAnalyzer extends AbstractFailureAnalyzer<ReadinessFailedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ReadinessFailedException cause) {
        StringBuilder description = new StringBuilder("Bulwark's production readiness report failed:\n");
        StringBuilder action =
                new StringBuilder("Fix these settings (or silence an id with bulwark.readiness.silenced, "
                        + "or lower bulwark.readiness.fail-on):\n");
        for (ReadinessFinding finding : cause.report().findings()) {
            if (finding.level() != ReadinessLevel.INFO) {
                description
                        .append("\n    ")
                        .append(finding.id())
                        .append(" [")
                        .append(finding.level())
                        .append("] ")
                        .append(finding.message());
                action.append("\n    ").append(finding.id()).append(": ").append(finding.hint());
            }
        }
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }
}
