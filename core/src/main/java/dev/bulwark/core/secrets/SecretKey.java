package dev.bulwark.core.secrets;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/**
 * An application secret key, such as Django's {@code SECRET_KEY}: the configured string, used through its UTF-8
 * {@link #bytes()} as HMAC key material, and never shown.
 *
 * <p>Instances are immutable and safe for concurrent use. {@link #toString()} is masked ({@code
 * SecretKey[fingerprint=3f9a0c1d27be]}); no method of this package puts a key into a message, log line or exception.
 * {@link #fingerprint()} identifies a key without revealing it, so that operators can tell which key a node loaded.
 * {@link #equals(Object)} compares the bytes in time independent of where they differ ({@link
 * MessageDigest#isEqual}); {@link #hashCode()} derives from the fingerprint digest, not from the key.
 *
 * <p>The key's {@link #strength()} is evaluated once, when it is created: see {@link KeyStrength}. A weak key is
 * accepted (so that development setups keep working); readiness checks report it.
 *
 * <p><b>Note:</b> the name mirrors the setting ({@code bulwark.secret-key}); this is not a {@link
 * javax.crypto.SecretKey}, and code that uses both imports one of them by its qualified name.
 */
public final class SecretKey {

    /** Minimum number of characters of a strong key: {@value}, as Django's {@code security.W009}. */
    public static final int MIN_LENGTH = 50;

    /** Minimum number of distinct characters of a strong key: {@value}, as Django's {@code security.W009}. */
    public static final int MIN_DISTINCT_CHARACTERS = 5;

    /** Number of random bytes in a generated key: {@value}, encoded as 67 base64url characters. */
    public static final int GENERATED_BYTES = 50;

    /**
     * Domain-separation prefix hashed before the key to form its {@link #fingerprint()}, so that a fingerprint never
     * equals a digest computed for any other purpose.
     */
    static final String FINGERPRINT_PREFIX = "bulwark-secret-key-fingerprint-v1:";

    /** Length of a fingerprint in hex characters (48 bits). */
    static final int FINGERPRINT_HEX_LENGTH = 12;

    /** Non-blocking system CSPRNG (NativePRNG or DRBG); {@link SecureRandom} is safe for concurrent use. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private final String fingerprint;
    private final int hash;
    private final KeyStrength strength;

    private SecretKey(String value) {
        this.bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] digest = Crypto.sha256(Crypto.ascii(FINGERPRINT_PREFIX), bytes);
        this.fingerprint = Crypto.hex(digest, FINGERPRINT_HEX_LENGTH / 2);
        this.hash = (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
        this.strength = KeyStrength.evaluate(value);
    }

    /**
     * Returns the key for a configured value, exactly as given (loaders such as {@link SecretKeys} strip trailing line
     * breaks first). A weak value is accepted; see {@link #strength()}.
     *
     * @param value the configured key; its UTF-8 bytes become the HMAC key material
     * @throws IllegalArgumentException if the value is empty or is not well-formed Unicode (an unpaired surrogate
     *     would not survive UTF-8 encoding); the message never includes the value
     */
    public static SecretKey of(String value) {
        requireNonNull(value, "value");
        requireArgument(
                !value.isEmpty(),
                "secret key must not be empty; set it to a generated key: %s",
                SecretKeyCommand.GENERATE_COMMAND);
        requireArgument(
                isWellFormed(value),
                "secret key must be well-formed unicode text (it contains an unpaired surrogate); set it to a"
                        + " generated key: %s",
                SecretKeyCommand.GENERATE_COMMAND);
        return new SecretKey(value);
    }

    /**
     * Returns a new random key: {@value #GENERATED_BYTES} bytes from {@link SecureRandom}, as 67 characters of
     * unpadded base64url ({@code [A-Za-z0-9_-]}), like Python's {@code secrets.token_urlsafe(50)}. Suits an ephemeral
     * development key; for a deployment, generate one with {@link SecretKeyCommand} and configure it, so that every
     * node and every restart shares it.
     */
    public static SecretKey generate() {
        return new SecretKey(generateValue());
    }

    /**
     * Returns a new random key value. A value that would be rated weak (it would have to start with a placeholder
     * such as {@code insecure}, a chance below one in a billion) is drawn again, so generated keys are always strong.
     */
    static String generateValue() {
        while (true) {
            byte[] random = new byte[GENERATED_BYTES];
            RANDOM.nextBytes(random);
            String value = Crypto.base64Url(random);
            if (KeyStrength.evaluate(value).isStrong()) {
                return value;
            }
        }
    }

    /**
     * Returns a copy of the key material: the UTF-8 bytes of the configured string (as Django uses {@code
     * SECRET_KEY}), for HMAC and key derivation. Callers must not log or persist it.
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Returns the key material without copying, for this package only. */
    byte[] material() {
        return bytes;
    }

    /**
     * Returns a short identifier of the key that does not reveal it: the first 12 lower-case hex characters (48 bits)
     * of SHA-256 over the ASCII prefix {@code bulwark-secret-key-fingerprint-v1:} followed by the key's UTF-8 bytes.
     * The same key always has the same fingerprint, on every node; it can be reproduced in a shell with {@code printf
     * '%s' "bulwark-secret-key-fingerprint-v1:$KEY" | sha256sum | cut -c1-12}.
     *
     * <p><b>Note:</b> like any hash, a fingerprint lets someone who guesses a weak key confirm the guess; for a
     * strong key (400 random bits when generated) that is infeasible.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** Returns the evaluation of the key against the strength rules, computed once when the key was created. */
    public KeyStrength strength() {
        return strength;
    }

    /** Returns whether another key has the same bytes, compared in time that does not depend on their content. */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof SecretKey that && MessageDigest.isEqual(bytes, that.bytes);
    }

    /** Returns a hash derived from the fingerprint digest (not from the key bytes). */
    @Override
    public int hashCode() {
        return hash;
    }

    /** Returns {@code SecretKey[fingerprint=…]}; never the key. */
    @Override
    public String toString() {
        return "SecretKey[fingerprint=" + fingerprint + "]";
    }

    private static boolean isWellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
