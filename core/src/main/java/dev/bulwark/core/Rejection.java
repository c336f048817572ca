package dev.bulwark.core;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;

/**
 * Names why Bulwark answered a request itself instead of passing it to the application: the capability that refused
 * it and a reason from a small, fixed vocabulary.
 *
 * <p>Both values are bounded lower-case tokens ({@code [a-z0-9_]+}), so they are safe as metric tags and log fields:
 * never a client address, a path or an origin. Capabilities are {@value #RATE_LIMIT}, {@value #CORS}, {@value #LIMITS}
 * and {@value #OVERLOAD}; reasons are documented by each capability (for example {@code body_too_large}). Instances
 * are immutable and safe for concurrent use; capabilities keep shared instances so that a rejection allocates nothing.
 *
 * @param capability the capability that refused the request, such as {@value #LIMITS}
 * @param reason why, such as {@code body_too_large}
 */
public record Rejection(String capability, String reason) {

    /** Rate limiting ({@code 429}, or {@code 503} when the bucket store is unavailable). */
    public static final String RATE_LIMIT = "ratelimit";
    /** CORS (a rejected preflight, {@code 403}). */
    public static final String CORS = "cors";
    /** Request limits: body size, form fields, multipart parts, URL length, headers. */
    public static final String LIMITS = "limits";
    /** Overload protection: the concurrency limiter's queue was full or the wait timed out ({@code 503}). */
    public static final String OVERLOAD = "overload";

    /**
     * Validates the tokens.
     *
     * @throws IllegalArgumentException if either value is empty or has a character outside {@code [a-z0-9_]}
     */
    public Rejection {
        requireNonNull(capability, "capability");
        requireNonNull(reason, "reason");
        Checks.requireArgument(isToken(capability), "rejection capability must match [a-z0-9_]+: '%s'", capability);
        Checks.requireArgument(isToken(reason), "rejection reason must match [a-z0-9_]+: '%s'", reason);
    }

    /** Returns a rejection; see the class documentation for the allowed values. */
    public static Rejection of(String capability, String reason) {
        return new Rejection(capability, reason);
    }

    private static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code capability/reason}, as access logs show it. */
    @Override
    public String toString() {
        return capability + '/' + reason;
    }
}
