package dev.bulwark.core.ratelimit;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Which rate-limit headers a limited response carries.
 *
 * <ul>
 *   <li>{@link #IETF} (the default): draft-ietf-httpapi-ratelimit-headers-10, {@code RateLimit-Policy:
 *       "anon";q=1000;w=3600} and {@code RateLimit: "anon";r=998;t=3} (structured-field lists, one item per policy
 *       that applied; {@code t} is the seconds until that quota is full again);
 *   <li>{@link #LEGACY}: {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (delta
 *       seconds), for the most restrictive policy that applied;
 *   <li>{@link #BOTH}, and {@link #NONE} (only {@code Retry-After} on a rejection).
 * </ul>
 */
public enum RateLimitHeaderStyle {
    IETF,
    LEGACY,
    BOTH,
    NONE;

    boolean ietf() {
        return this == IETF || this == BOTH;
    }

    boolean legacy() {
        return this == LEGACY || this == BOTH;
    }

    /**
     * Parses {@code ietf}, {@code legacy}, {@code both} or {@code none}, case-insensitive.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones otherwise
     */
    public static RateLimitHeaderStyle parse(String text) {
        requireNonNull(text, "text");
        for (RateLimitHeaderStyle style : values()) {
            if (style.name().equalsIgnoreCase(text.strip())) {
                return style;
            }
        }
        throw new IllegalArgumentException("rate limit headers must be one of ietf, legacy, both, none: '"
                + dev.bulwark.core.internal.Checks.escape(text) + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
