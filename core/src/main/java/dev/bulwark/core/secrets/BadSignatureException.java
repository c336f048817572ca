package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by {@link Signer} when a signed value must not be trusted: it is malformed, was tampered with, was signed
 * with a key that is not (or no longer) in the {@link KeyRing}, or lacks a timestamp that a max age requires.
 *
 * <p>Subclasses distinguish the cases where the signature itself is genuine: {@link WrongPurposeException} and
 * {@link SignatureExpiredException}. Catching this type rejects them all, as Django's {@code BadSignature} does. The
 * message never includes the signed value or any key; {@link #reason()} suits a metrics tag.
 *
 * <p>Instances are immutable once thrown and safe to share between threads.
 */
public class BadSignatureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a signed value was rejected; a bounded set, suitable as a metrics tag. */
    public enum Reason {
        /** The text is not a token of this format (wrong field count, characters, lengths or encoding). */
        MALFORMED,
        /** The signature matches no key of the ring: tampered, or signed with a key that was removed. */
        SIGNATURE_MISMATCH,
        /** A max age was required, but the token was signed without a timestamp. */
        MISSING_TIMESTAMP,
        /** The signature is genuine but was made for another purpose ({@link WrongPurposeException}). */
        WRONG_PURPOSE,
        /** The signature is genuine but older than the max age ({@link SignatureExpiredException}). */
        EXPIRED
    }

    private final Reason reason;

    /**
     * Creates an exception with a reason and a message that must not contain the signed value or a key.
     *
     * @param reason why the value was rejected
     * @param message a lower-case description for logs
     */
    public BadSignatureException(Reason reason, String message) {
        super(requireNonNull(message, "message"));
        this.reason = requireNonNull(reason, "reason");
    }

    /** Returns why the value was rejected. */
    public Reason reason() {
        return reason;
    }
}
