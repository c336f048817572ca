package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by {@link Signer} when a value carries a genuine signature made for another purpose, e.g. an {@code
 * email-change} token presented to the {@code password-reset} endpoint.
 *
 * <p>This is distinguishable from tampering only because the purpose travels in clear text inside the token and the
 * signature covers it (see {@link Signer}): the signature is checked first, with the key derived for the token's
 * purpose, so this exception is thrown only for values that some holder of the key really signed for {@link
 * #actualPurpose()}. A value is never accepted under a purpose other than its own.
 *
 * <p>Instances are immutable once thrown and safe to share between threads.
 */
public final class WrongPurposeException extends BadSignatureException {

    private static final long serialVersionUID = 1L;

    private final String expectedPurpose;
    private final String actualPurpose;

    /**
     * Creates the exception.
     *
     * @param expectedPurpose the purpose of the signer that verified the value
     * @param actualPurpose the purpose the value was signed for
     */
    public WrongPurposeException(String expectedPurpose, String actualPurpose) {
        super(
                Reason.WRONG_PURPOSE,
                "signed value was issued for purpose '" + requireNonNull(actualPurpose, "actualPurpose")
                        + "', expected '" + requireNonNull(expectedPurpose, "expectedPurpose") + "'");
        this.expectedPurpose = expectedPurpose;
        this.actualPurpose = actualPurpose;
    }

    /** Returns the purpose of the signer that verified the value. */
    public String expectedPurpose() {
        return expectedPurpose;
    }

    /** Returns the purpose the value was signed for. */
    public String actualPurpose() {
        return actualPurpose;
    }
}
