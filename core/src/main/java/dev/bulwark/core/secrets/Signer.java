package dev.bulwark.core.secrets;

import static dev.bulwark.core.internal.Checks.requireArgument;
import static java.util.Objects.requireNonNull;

import dev.bulwark.core.TimeSource;
import dev.bulwark.core.internal.Checks;
import dev.bulwark.core.secrets.BadSignatureException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Signs string values with HMAC-SHA256 so that they can travel through untrusted hands (URLs, cookies, hidden fields)
 * and come back provably unchanged, after Django's {@code TimestampSigner}.
 *
 * <p>Instances are immutable and safe for concurrent use (each call obtains its own {@link javax.crypto.Mac});
 * builders are not thread-safe. Defaults: tokens carry a timestamp, no max age is enforced unless configured or passed
 * per call, time comes from {@link TimeSource#system()}.
 *
 * <h2>Token format</h2>
 *
 * <pre>{@code
 * purpose ":" base64url(utf8(value)) [ ":" timestamp ] ":" signature
 * e.g.  password-reset:dXNlci00Mg:1767225600:Xq0tC4m6f1b6bVOw7ucsLq1AIGPqO1pgxN8u3cBkJHY
 * }</pre>
 *
 * <ul>
 *   <li>{@code purpose} is the signer's purpose in clear text, 1 to 100 characters of {@code [A-Za-z0-9._-]};
 *   <li>the value is encoded as unpadded base64url, so any string round-trips, including ones containing {@code :};
 *   <li>{@code timestamp} is the signing time in decimal seconds since the epoch, present when the signer is
 *       {@linkplain Builder#timestamped(boolean) timestamped} (the default);
 *   <li>{@code signature} is unpadded base64url of {@code HMAC-SHA256(K, ascii(everything before the last ':'))}, 43
 *       characters, so it covers the purpose, the value and the timestamp.
 * </ul>
 *
 * <p>Tokens consist of {@code [A-Za-z0-9._:-]} only: they need no escaping in URL paths, query strings, form fields
 * or cookie values.
 *
 * <h2>Key derivation</h2>
 *
 * <p>Each purpose gets its own HMAC key, as with Django's {@code salted_hmac}, but derived with HKDF-SHA256 (RFC
 * 5869), a standard KDF, rather than by hashing a concatenation:
 *
 * <pre>{@code
 * K = HKDF-SHA256(salt = ascii("bulwark-signer-v1"), IKM = secretKey.bytes(),
 *                 info = ascii("purpose:" + purpose), L = 32)
 * }</pre>
 *
 * <p>A signature made for one purpose therefore never verifies under another, and no HMAC key equals the configured
 * secret.
 *
 * <h2>Why the purpose is in the token</h2>
 *
 * <p>With per-purpose keys alone, a token signed for another purpose is indistinguishable from a forged one. Carrying
 * the purpose in clear text, covered by the signature, lets {@link #verify} check the signature with the key of the
 * token's own purpose first and then compare purposes, so that a genuine token used in the wrong place fails with a
 * distinct {@link WrongPurposeException} — a bug in the application rather than an attack — while anything altered
 * fails with {@link BadSignatureException}. The purpose is not secret; a token is never accepted for a purpose other
 * than its own.
 *
 * <h2>Verification</h2>
 *
 * <p>The signature is compared in constant time ({@link MessageDigest#isEqual}) against the one computed with the
 * {@linkplain KeyRing#current() current key}, then with each {@linkplain KeyRing#fallbacks() fallback}; signing uses
 * the current key only. Checks run in this order: format ({@link Reason#MALFORMED}), signature ({@link
 * Reason#SIGNATURE_MISMATCH}), purpose ({@link WrongPurposeException}), timestamp and age ({@link
 * Reason#MISSING_TIMESTAMP}, {@link SignatureExpiredException}). An age check needs a timestamped token; a timestamp
 * in the future (clock skew between nodes) is accepted. Verification of any malformed input throws only {@link
 * BadSignatureException}. Values are not encrypted: anyone can decode them; the signature only proves integrity.
 *
 * <pre>{@code
 * Signer resets = Signer.builder(keyRing, "password-reset").maxAge(Duration.ofHours(1)).build();
 * String token = resets.sign(userId);              // put it into the e-mailed link
 * String userId = resets.unsign(tokenFromLink);    // BadSignatureException, SignatureExpiredException, ...
 * }</pre>
 */
public final class Signer {

    /** Largest purpose length accepted: {@value}. */
    public static final int MAX_PURPOSE_LENGTH = 100;

    static final char SEPARATOR = ':';
    static final byte[] HKDF_SALT = Crypto.ascii("bulwark-signer-v1");
    static final String HKDF_INFO_PREFIX = "purpose:";

    /** Length of an encoded HMAC-SHA256 signature: 32 bytes as unpadded base64url. */
    static final int SIGNATURE_LENGTH = 43;

    private static final int MAX_TIMESTAMP_DIGITS = 12;
    private static final String MALFORMED =
            "malformed signed value: expected purpose:value[:timestamp]:signature in base64url";

    private final KeyRing keys;
    private final String purpose;
    private final boolean timestamped;
    private final @Nullable Duration maxAge;
    private final TimeSource timeSource;
    /** HMAC keys derived for {@link #purpose}, index-aligned with {@link KeyRing#keys()}. */
    private final List<byte[]> macKeys;

    private Signer(Builder b) {
        this.keys = b.keys;
        this.purpose = b.purpose;
        this.timestamped = b.timestamped;
        this.maxAge = b.maxAge;
        this.timeSource = b.timeSource;
        this.macKeys = deriveKeys(keys, purpose);
    }

    /**
     * Returns a signer with the defaults: timestamped tokens, no max age unless passed per call, system time.
     *
     * @param keys the keys to sign (current) and verify (current and fallbacks) with
     * @param purpose what the tokens are for, e.g. {@code password-reset}: 1 to 100 characters of {@code
     *     [A-Za-z0-9._-]}
     * @throws IllegalArgumentException if the purpose is empty, too long or has other characters
     */
    public static Signer of(KeyRing keys, String purpose) {
        return builder(keys, purpose).build();
    }

    /**
     * Returns a builder with the defaults.
     *
     * @param keys the keys to sign (current) and verify (current and fallbacks) with
     * @param purpose what the tokens are for, e.g. {@code password-reset}: 1 to 100 characters of {@code
     *     [A-Za-z0-9._-]}; use a distinct purpose for each kind of token
     * @throws IllegalArgumentException if the purpose is empty, too long or has other characters
     */
    public static Builder builder(KeyRing keys, String purpose) {
        return new Builder(requireNonNull(keys, "keys"), requireNonNull(purpose, "purpose"));
    }

    /** Returns the purpose tokens are signed for and checked against. */
    public String purpose() {
        return purpose;
    }

    /** Returns whether tokens carry a timestamp. */
    public boolean timestamped() {
        return timestamped;
    }

    /** Returns the max age enforced by {@link #unsign(String)} and {@link #verify(String)}, if configured. */
    public Optional<Duration> maxAge() {
        return Optional.ofNullable(maxAge);
    }

    /** Returns the key ring. */
    public KeyRing keys() {
        return keys;
    }

    /**
     * Returns a token holding the value, signed with the current key for this signer's purpose, with the current
     * wall-clock time when {@link #timestamped()}.
     *
     * @param value any string, including empty ones and ones containing {@code :}
     * @throws IllegalArgumentException if the value is not well-formed Unicode (an unpaired surrogate)
     */
    public String sign(String value) {
        requireNonNull(value, "value");
        StringBuilder payload = new StringBuilder(purpose.length() + value.length() * 2 + 60)
                .append(purpose)
                .append(SEPARATOR)
                .append(Crypto.base64Url(utf8(value)));
        if (timestamped) {
            payload.append(SEPARATOR).append(timeSource.now().getEpochSecond());
        }
        String text = payload.toString();
        return text + SEPARATOR + signature(macKeys.get(0), text);
    }

    /**
     * Returns the value of a token after verifying it, enforcing the configured max age if there is one.
     *
     * @throws BadSignatureException if the token is malformed, tampered with, signed with an unknown key, or lacks
     *     a timestamp that the configured max age requires
     * @throws WrongPurposeException if the signature is genuine but was made for another purpose
     * @throws SignatureExpiredException if the signature is older than the configured max age
     */
    public String unsign(String token) {
        return verify(token).value();
    }

    /**
     * Returns the value of a token after verifying it and checking its age against the given max age (instead of the
     * configured one).
     *
     * @param maxAge the largest accepted age; must be positive
     * @throws IllegalArgumentException if {@code maxAge} is not positive
     * @throws BadSignatureException if the token is malformed, tampered with, signed with an unknown key, or has no
     *     timestamp
     * @throws WrongPurposeException if the signature is genuine but was made for another purpose
     * @throws SignatureExpiredException if the signature is older than {@code maxAge}
     */
    public String unsign(String token, Duration maxAge) {
        return verify(token, maxAge).value();
    }

    /**
     * Verifies a token like {@link #unsign(String)} and returns the value with its signing time and whether a
     * fallback key verified it.
     *
     * @throws BadSignatureException if the token is malformed, tampered with, signed with an unknown key, or lacks
     *     a timestamp that the configured max age requires
     * @throws WrongPurposeException if the signature is genuine but was made for another purpose
     * @throws SignatureExpiredException if the signature is older than the configured max age
     */
    public VerifiedValue verify(String token) {
        return check(requireNonNull(token, "token"), maxAge);
    }

    /**
     * Verifies a token like {@link #unsign(String, Duration)} and returns the value with its signing time and whether
     * a fallback key verified it.
     *
     * @param maxAge the largest accepted age; must be positive
     * @throws IllegalArgumentException if {@code maxAge} is not positive
     * @throws BadSignatureException if the token is malformed, tampered with, signed with an unknown key, or has no
     *     timestamp
     * @throws WrongPurposeException if the signature is genuine but was made for another purpose
     * @throws SignatureExpiredException if the signature is older than {@code maxAge}
     */
    public VerifiedValue verify(String token, Duration maxAge) {
        requireNonNull(token, "token");
        return check(token, requirePositive(requireNonNull(maxAge, "maxAge")));
    }

    /** Returns the purpose, value and timestamp settings, never keys. */
    @Override
    public String toString() {
        return "Signer[purpose=" + purpose + ", timestamped=" + timestamped + ", maxAge=" + maxAge + ", keys=" + keys
                + "]";
    }

    private VerifiedValue check(String token, @Nullable Duration maxAge) {
        // purpose ":" value [":" timestamp] ":" signature — no field may contain ':'
        int first = token.indexOf(SEPARATOR);
        int last = token.lastIndexOf(SEPARATOR);
        if (first < 0 || first == last) {
            throw malformed();
        }
        int middle = token.indexOf(SEPARATOR, first + 1);
        boolean hasTimestamp = middle != last;
        if (hasTimestamp && token.indexOf(SEPARATOR, middle + 1) != last) {
            throw malformed();
        }
        String tokenPurpose = token.substring(0, first);
        String encodedValue = token.substring(first + 1, middle);
        String timestamp = hasTimestamp ? token.substring(middle + 1, last) : "";
        String signature = token.substring(last + 1);
        if (!isValidPurpose(tokenPurpose)
                || !Crypto.isBase64UrlAlphabet(encodedValue)
                || encodedValue.length() % 4 == 1
                || (hasTimestamp && !isTimestamp(timestamp))
                || signature.length() != SIGNATURE_LENGTH
                || !Crypto.isBase64UrlAlphabet(signature)) {
            throw malformed();
        }

        String payload = token.substring(0, last);
        List<byte[]> candidates = tokenPurpose.equals(purpose) ? macKeys : deriveKeys(keys, tokenPurpose);
        byte[] given = Crypto.ascii(signature);
        int match = -1;
        for (int i = 0; i < candidates.size() && match < 0; i++) {
            if (MessageDigest.isEqual(Crypto.ascii(signature(candidates.get(i), payload)), given)) {
                match = i;
            }
        }
        if (match < 0) {
            throw new BadSignatureException(
                    Reason.SIGNATURE_MISMATCH,
                    "signature does not match the current key or any fallback key: the value was altered, or signed"
                            + " with a key that is no longer in " + SecretKeys.FALLBACKS_PROPERTY);
        }
        // The signature is genuine: everything below describes what its signer wrote.
        if (!tokenPurpose.equals(purpose)) {
            throw new WrongPurposeException(purpose, tokenPurpose);
        }
        String value = decodeValue(encodedValue);
        Instant signedAt = hasTimestamp ? Instant.ofEpochSecond(Long.parseLong(timestamp)) : null;
        if (maxAge != null) {
            if (signedAt == null) {
                throw new BadSignatureException(
                        Reason.MISSING_TIMESTAMP,
                        "signed value has no timestamp, but a max age of " + maxAge
                                + " is required; sign it with a timestamped signer");
            }
            Duration age = Duration.between(signedAt, timeSource.now());
            if (age.compareTo(maxAge) > 0) {
                throw new SignatureExpiredException(signedAt, age, maxAge);
            }
        }
        return new VerifiedValue(value, signedAt, match > 0);
    }

    private static BadSignatureException malformed() {
        return new BadSignatureException(Reason.MALFORMED, MALFORMED);
    }

    private static String decodeValue(String encoded) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Crypto.fromBase64Url(encoded)))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // only reachable for a token some key holder built by hand
            throw malformed();
        }
    }

    private static byte[] utf8(String value) {
        try {
            ByteBuffer buffer = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "value to sign must be well-formed unicode text (it contains an unpaired surrogate)", e);
        }
    }

    private static String signature(byte[] macKey, String payload) {
        return Crypto.base64Url(Crypto.hmacSha256(macKey, Crypto.ascii(payload)));
    }

    /** Derives the HMAC key of the purpose from each key of the ring, in ring order. */
    static List<byte[]> deriveKeys(KeyRing keys, String purpose) {
        byte[] info = Crypto.ascii(HKDF_INFO_PREFIX + purpose);
        List<byte[]> derived = new ArrayList<>(keys.keys().size());
        for (SecretKey key : keys.keys()) {
            derived.add(Crypto.hkdfSha256(HKDF_SALT, key.material(), info));
        }
        return List.copyOf(derived);
    }

    static boolean isValidPurpose(String purpose) {
        if (purpose.isEmpty() || purpose.length() > MAX_PURPOSE_LENGTH) {
            return false;
        }
        for (int i = 0; i < purpose.length(); i++) {
            char c = purpose.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTimestamp(String text) {
        if (text.isEmpty() || text.length() > MAX_TIMESTAMP_DIGITS) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Duration requirePositive(Duration maxAge) {
        requireArgument(
                !maxAge.isNegative() && !maxAge.isZero(),
                "signer max age must be positive: %s; set the lifetime of the tokens, e.g. PT1H",
                maxAge);
        return maxAge;
    }

    /**
     * Builds a {@link Signer}. Defaults: timestamped, no max age, {@link TimeSource#system()}.
     *
     * <p>Builders are not thread-safe; {@link #build()} leaves the builder reusable.
     */
    public static final class Builder {

        private final KeyRing keys;
        private final String purpose;
        private boolean timestamped = true;
        private @Nullable Duration maxAge;
        private TimeSource timeSource = TimeSource.system();

        private Builder(KeyRing keys, String purpose) {
            requireArgument(
                    isValidPurpose(purpose),
                    "signer purpose must be 1 to %s characters from [A-Za-z0-9._-], such as 'password-reset': '%s'",
                    MAX_PURPOSE_LENGTH,
                    Checks.escape(purpose));
            this.keys = keys;
            this.purpose = purpose;
        }

        /** Sets whether tokens carry their signing time, needed for any max age check. Default: {@code true}. */
        public Builder timestamped(boolean timestamped) {
            this.timestamped = timestamped;
            return this;
        }

        /**
         * Sets the max age enforced by {@link Signer#unsign(String)} and {@link Signer#verify(String)}. Default: none
         * (any age is accepted unless a max age is passed per call).
         *
         * @throws IllegalArgumentException if the max age is not positive
         */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = requirePositive(requireNonNull(maxAge, "maxAge"));
            return this;
        }

        /** Sets the clock whose wall-clock {@link TimeSource#now()} stamps and ages tokens. Default: system. */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * Returns a new signer.
         *
         * @throws IllegalArgumentException if a max age is set on a signer that is not timestamped
         */
        public Signer build() {
            requireArgument(
                    timestamped || maxAge == null,
                    "signer max age %s requires timestamped tokens; remove the max age or keep timestamped(true)",
                    maxAge);
            return new Signer(this);
        }
    }
}
