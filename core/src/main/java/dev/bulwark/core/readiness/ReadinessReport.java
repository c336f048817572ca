package dev.bulwark.core.readiness;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The findings of every readiness check, most serious first.
 *
 * <p>Immutable and safe for concurrent use.
 *
 * @param findings the findings, sorted by level (errors first) then id
 */
public record ReadinessReport(List<ReadinessFinding> findings) {

    /** Copies and sorts the findings. */
    public ReadinessReport {
        findings = findings.stream()
                .sorted(Comparator.comparing(ReadinessFinding::level).reversed().thenComparing(ReadinessFinding::id))
                .toList();
    }

    /** Returns the most serious level found, if any finding exists. */
    public Optional<ReadinessLevel> highest() {
        return findings.isEmpty()
                ? Optional.empty()
                : Optional.of(findings.get(0).level());
    }

    /** Returns how many findings have this level. */
    public long count(ReadinessLevel level) {
        return findings.stream().filter(f -> f.level() == level).count();
    }

    /** Returns whether the report reaches {@code failOn}; {@code null} means never. */
    public boolean reaches(ReadinessLevel failOn) {
        return highest().map(h -> h.compareTo(failOn) >= 0).orElse(false);
    }

    /** Returns whether a finding with this id is present. */
    public boolean has(String id) {
        return findings.stream().anyMatch(f -> f.id().equals(id));
    }

    /** Throws when the report reaches {@code failOn}. */
    public ReadinessReport failOn(ReadinessLevel failOn) {
        if (reaches(failOn)) {
            throw new ReadinessFailedException(this, failOn);
        }
        return this;
    }

    /** Renders the report as text, one finding per line, with a summary first. */
    public String render() {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder("Bulwark production readiness: ")
                .append(count(ReadinessLevel.ERROR))
                .append(" error(s), ")
                .append(count(ReadinessLevel.WARNING))
                .append(" warning(s), ")
                .append(count(ReadinessLevel.INFO))
                .append(" info");
        for (ReadinessFinding finding : findings) {
            text.append(nl).append("  ").append(finding);
        }
        return text.toString();
    }
}
