package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The result of evaluating a {@link SecretKey}: the set of {@link Weakness weaknesses} found, empty for a strong key.
 *
 * <p>A key is weak when it has fewer than {@value SecretKey#MIN_LENGTH} characters, fewer than {@value
 * SecretKey#MIN_DISTINCT_CHARACTERS} distinct characters, is (or starts with) a well-known placeholder, or carries an
 * {@code insecure} prefix; every rule that fires is listed, in enum order. Keys made by {@link SecretKey#generate()}
 * or the {@link SecretKeyCommand} are always strong.
 *
 * <p>Instances are immutable and safe for concurrent use.
 *
 * @param weaknesses the reasons the key is weak; empty when it is strong
 */
public record KeyStrength(Set<Weakness> weaknesses) {

    /** Placeholders matched exactly (lower case, after stripping surrounding whitespace). */
    private static final Set<String> PLACEHOLDERS = Set.of(
            "secret",
            "secret-key",
            "secret_key",
            "secretkey",
            "my-secret",
            "mysecret",
            "my-secret-key",
            "your-secret-key",
            "your_secret_key",
            "yoursecretkey",
            "password",
            "default",
            "test",
            "dev",
            "development",
            "example",
            "key",
            "xxx",
            "todo",
            "tbd");

    /** Placeholders matched as prefixes, so that padding one out to 50 characters does not hide it. */
    private static final String[] PLACEHOLDER_PREFIXES = {
        "change-me",
        "changeme",
        "change_me",
        "change me",
        "changeit",
        "change-it",
        "replace-me",
        "replaceme",
        "replace_me",
        "your-new-generated-key-here",
        "your-secret",
        "your_secret",
        "your-key",
        "your_key",
        "put-your",
        "insert-your",
        "${",
        "<",
    };

    private static final String[] INSECURE_PREFIXES = {"insecure", "django-insecure-"};

    /** Copies the weaknesses into an unmodifiable set that iterates in enum order. */
    public KeyStrength {
        requireNonNull(weaknesses, "weaknesses");
        EnumSet<Weakness> copy = EnumSet.noneOf(Weakness.class);
        for (Weakness weakness : weaknesses) {
            copy.add(requireNonNull(weakness, "weakness"));
        }
        weaknesses = Collections.unmodifiableSet(copy);
    }

    /** Returns whether no weakness was found. */
    public boolean isStrong() {
        return weaknesses.isEmpty();
    }

    /** Returns whether at least one weakness was found. */
    public boolean isWeak() {
        return !weaknesses.isEmpty();
    }

    /** Returns whether the given weakness was found. */
    public boolean has(Weakness weakness) {
        return weaknesses.contains(requireNonNull(weakness, "weakness"));
    }

    /**
     * Returns a one-line, lower-case description naming the setting, for logs and readiness reports; it never includes
     * the key. For example: {@code bulwark.secret-key is weak (has fewer than 50 characters; is or starts with a
     * well-known placeholder such as 'change-me'); generate a new key with: java -cp bulwark-core.jar
     * dev.bulwark.core.secrets.SecretKeyCommand generate}.
     *
     * @param setting the name under which the key is configured, e.g. {@code bulwark.secret-key-fallbacks[0]}
     */
    public String describe(String setting) {
        requireNonNull(setting, "setting");
        if (isStrong()) {
            return setting + " is strong";
        }
        StringJoiner reasons = new StringJoiner("; ", setting + " is weak (", ")");
        weaknesses.forEach(weakness -> reasons.add(weakness.message()));
        return reasons + "; generate a new key with: " + SecretKeyCommand.GENERATE_COMMAND;
    }

    /** Evaluates a key value; package-private because only {@link SecretKey} holds values. */
    static KeyStrength evaluate(String value) {
        EnumSet<Weakness> found = EnumSet.noneOf(Weakness.class);
        if (value.codePointCount(0, value.length()) < SecretKey.MIN_LENGTH) {
            found.add(Weakness.TOO_SHORT);
        }
        if (value.codePoints()
                        .distinct()
                        .limit(SecretKey.MIN_DISTINCT_CHARACTERS)
                        .count()
                < SecretKey.MIN_DISTINCT_CHARACTERS) {
            found.add(Weakness.TOO_FEW_DISTINCT_CHARACTERS);
        }
        String normalized = value.strip().toLowerCase(Locale.ROOT);
        if (PLACEHOLDERS.contains(normalized) || startsWithAny(normalized, PLACEHOLDER_PREFIXES)) {
            found.add(Weakness.PLACEHOLDER);
        }
        if (startsWithAny(normalized, INSECURE_PREFIXES)) {
            found.add(Weakness.INSECURE_PREFIX);
        }
        return new KeyStrength(found);
    }

    private static boolean startsWithAny(String value, String[] prefixes) {
        for (String prefix : prefixes) {
            if (value.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
