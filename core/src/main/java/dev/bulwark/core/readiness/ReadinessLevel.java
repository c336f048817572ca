package dev.bulwark.core.readiness;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** How serious a readiness finding is, from least to most. */
public enum ReadinessLevel {
    /** Worth knowing; never fails startup. */
    INFO,
    /** A risky setting for production; fails startup with {@code fail-on=warning}. */
    WARNING,
    /** An insecure or broken setting; fails startup with {@code fail-on=error} (the default in production). */
    ERROR;

    /**
     * Parses {@code info}, {@code warning} or {@code error}, case-insensitive.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static ReadinessLevel parse(String text) {
        requireNonNull(text, "text");
        for (ReadinessLevel level : values()) {
            if (level.name().equalsIgnoreCase(text.strip())) {
                return level;
            }
        }
        throw new IllegalArgumentException("readiness level must be info, warning or error: '" + text + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
