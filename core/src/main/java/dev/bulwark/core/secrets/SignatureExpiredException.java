package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Thrown by {@link Signer} when a value carries a genuine signature, for the right purpose, that is older than the max
 * age; after Django's {@code SignatureExpired}.
 *
 * <p>The age is measured from the timestamp in the token (whole seconds) to the signer's {@code TimeSource} wall
 * clock. Instances are immutable once thrown and safe to share between threads.
 */
public final class SignatureExpiredException extends BadSignatureException {

    private static final long serialVersionUID = 1L;

    private final Instant signedAt;
    private final Duration age;
    private final Duration maxAge;

    /**
     * Creates the exception.
     *
     * @param signedAt when the value was signed
     * @param age how old the signature is
     * @param maxAge the max age it exceeds
     */
    public SignatureExpiredException(Instant signedAt, Duration age, Duration maxAge) {
        super(
                Reason.EXPIRED,
                "signed value expired: age " + requireNonNull(age, "age") + " exceeds the max age "
                        + requireNonNull(maxAge, "maxAge"));
        this.signedAt = requireNonNull(signedAt, "signedAt");
        this.age = age;
        this.maxAge = maxAge;
    }

    /** Returns when the value was signed (whole seconds). */
    public Instant signedAt() {
        return signedAt;
    }

    /** Returns how old the signature was when it was verified. */
    public Duration age() {
        return age;
    }

    /** Returns the max age the signature exceeded. */
    public Duration maxAge() {
        return maxAge;
    }
}
