package dev.bulwark.core.secrets;

/**
 * A reason why a {@link SecretKey} is weak, after Django's {@code security.W009} (the current key) and {@code
 * security.W025} (each fallback key).
 *
 * <p>Each constant carries a lower-case {@link #message()} fragment that never includes the key, so that a readiness
 * report can show it next to the setting name, as in {@link KeyStrength#describe(String)}. Constants are immutable
 * and safe for concurrent use.
 */
public enum Weakness {
    /** The key has fewer than {@value SecretKey#MIN_LENGTH} characters (Unicode code points). */
    TOO_SHORT("has fewer than " + SecretKey.MIN_LENGTH + " characters"),

    /** The key has fewer than {@value SecretKey#MIN_DISTINCT_CHARACTERS} distinct characters. */
    TOO_FEW_DISTINCT_CHARACTERS("has fewer than " + SecretKey.MIN_DISTINCT_CHARACTERS + " distinct characters"),

    /**
     * The key is, or starts with, a well-known placeholder such as {@code change-me}, {@code secret} or {@code
     * your-secret-key} (compared case-insensitively, ignoring surrounding whitespace).
     */
    PLACEHOLDER("is or starts with a well-known placeholder such as 'change-me'"),

    /**
     * The key starts with {@code insecure} or {@code django-insecure-} (case-insensitively): the marker frameworks put
     * on keys generated for development.
     */
    INSECURE_PREFIX("starts with 'insecure' or 'django-insecure-', which marks a development key");

    private final String message;

    Weakness(String message) {
        this.message = message;
    }

    /** Returns a lower-case sentence fragment describing the weakness, e.g. {@code has fewer than 50 characters}. */
    public String message() {
        return message;
    }
}
