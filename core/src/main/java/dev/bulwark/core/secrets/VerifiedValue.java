package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A value whose signature {@link Signer#verify(String)} accepted, with when it was signed and whether a fallback key
 * signed it (a hint to re-sign it with the current key, e.g. when refreshing a cookie).
 *
 * <p>Instances are immutable and safe for concurrent use.
 *
 * @param value the original value
 * @param signedAt when the value was signed (whole seconds), or {@code null} for a token signed without a timestamp
 * @param signedWithFallback whether a fallback key, not the current key, verified the signature
 */
public record VerifiedValue(String value, @Nullable Instant signedAt, boolean signedWithFallback) {

    /** Checks the components. */
    public VerifiedValue {
        requireNonNull(value, "value");
    }
}
