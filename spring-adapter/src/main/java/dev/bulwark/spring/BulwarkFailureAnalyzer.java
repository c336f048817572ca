package dev.bulwark.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an {@link InvalidBulwarkPropertyException} as a clear startup failure: property, value, reason, fix. */
class BulwarkFailureAnalyzer extends AbstractFailureAnalyzer<InvalidBulwarkPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidBulwarkPropertyException cause) {
        return new FailureAnalysis(
                "Invalid Bulwark configuration:\n\n    Property: " + cause.property() + "\n    Value: '" + cause.value()
                        + "'\n    Reason: " + cause.reason(),
                "Update " + cause.property() + " in your application configuration (" + cause.reason() + ").",
                cause);
    }
}
