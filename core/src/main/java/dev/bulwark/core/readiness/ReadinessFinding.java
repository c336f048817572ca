package dev.bulwark.core.readiness;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;

/**
 * One result of a readiness check: a stable id (such as {@code BW-H002}), a level, what is wrong and how to fix it.
 *
 * <p>Immutable. Ids never change meaning between releases, so they can be silenced in configuration
 * ({@code bulwark.readiness.silenced}) and searched for in documentation. Messages never contain a secret.
 *
 * @param id the stable id: {@code BW-} followed by letters and digits
 * @param level how serious it is
 * @param message what was found, in one sentence
 * @param hint how to fix or silence it
 */
public record ReadinessFinding(String id, ReadinessLevel level, String message, String hint) {

    /** Validates the id. */
    public ReadinessFinding {
        requireNonNull(id, "id");
        requireNonNull(level, "level");
        requireNonNull(message, "message");
        requireNonNull(hint, "hint");
        Checks.requireArgument(isValidId(id), "readiness finding id must look like BW-H001: '%s'", id);
    }

    /** Returns an error finding. */
    public static ReadinessFinding error(String id, String message, String hint) {
        return new ReadinessFinding(id, ReadinessLevel.ERROR, message, hint);
    }

    /** Returns a warning finding. */
    public static ReadinessFinding warning(String id, String message, String hint) {
        return new ReadinessFinding(id, ReadinessLevel.WARNING, message, hint);
    }

    /** Returns an informational finding. */
    public static ReadinessFinding info(String id, String message, String hint) {
        return new ReadinessFinding(id, ReadinessLevel.INFO, message, hint);
    }

    static boolean isValidId(String id) {
        if (!id.startsWith("BW-") || id.length() < 5 || id.length() > 16) {
            return false;
        }
        for (int i = 3; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** Returns the finding as one report line: {@code BW-H002 [warning] message — hint}. */
    @Override
    public String toString() {
        return id + " [" + level + "] " + message + " Hint: " + hint;
    }
}
