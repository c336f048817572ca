/**
 * Application secret keys and signed values, after Django's {@code SECRET_KEY}, {@code SECRET_KEY_FALLBACKS} and
 * {@code django.core.signing}.
 *
 * <ul>
 *   <li>{@link dev.bulwark.core.secrets.SecretKey}: a key that never shows itself ({@code toString()} is masked), with
 *       a {@linkplain dev.bulwark.core.secrets.SecretKey#fingerprint() fingerprint} and a {@link
 *       dev.bulwark.core.secrets.KeyStrength} listing each {@link dev.bulwark.core.secrets.Weakness};
 *   <li>{@link dev.bulwark.core.secrets.SecretKeys}: loads the key from a property, {@code BULWARK_SECRET_KEY} or the
 *       file named by {@code BULWARK_SECRET_KEY_FILE}, reporting the {@link dev.bulwark.core.secrets.SecretKeySource}
 *       in a {@link dev.bulwark.core.secrets.LoadedSecretKey};
 *   <li>{@link dev.bulwark.core.secrets.KeyRing}: the current key plus fallbacks, for rotation;
 *   <li>{@link dev.bulwark.core.secrets.Signer}: HMAC-SHA256 signed, optionally timestamped values bound to a purpose,
 *       rejected with {@link dev.bulwark.core.secrets.BadSignatureException} or its subclasses {@link
 *       dev.bulwark.core.secrets.WrongPurposeException} and {@link dev.bulwark.core.secrets.SignatureExpiredException},
 *       accepted as a {@link dev.bulwark.core.secrets.VerifiedValue};
 *   <li>{@link dev.bulwark.core.secrets.SecretKeyCommand}: {@code generate} and {@code fingerprint} on the command
 *       line.
 * </ul>
 *
 * <p>JDK only: {@code java.security} and {@code javax.crypto}. Nothing in this package logs, and no message includes
 * a key.
 */
@NullMarked
package dev.bulwark.core.secrets;

import org.jspecify.annotations.NullMarked;
