package dev.bulwark.core.secrets;

import static dev.bulwark.core.secrets.SecretKeyTest.STRONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.core.FakeTimeSource;
import dev.bulwark.core.secrets.BadSignatureException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignerTest {

    private static final String PURPOSE = "password-reset";
    /** 2026-01-01T00:00:00Z, where {@link FakeTimeSource} starts. */
    private static final long START = 1_767_225_600L;

    private final FakeTimeSource time = new FakeTimeSource();
    private final SecretKey key = SecretKey.of(STRONG);
    private final KeyRing ring = KeyRing.of(key);
    private final Signer signer = Signer.builder(ring, PURPOSE).timeSource(time).build();

    @Test
    void tokenMatchesTheDocumentedFormat() {
        // computed independently (Python hmac/hashlib) from the format and derivation in Signer's Javadoc
        assertThat(signer.sign("user-42"))
                .isEqualTo("password-reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ");
        assertThat(Signer.builder(ring, PURPOSE).timestamped(false).build().sign("user-42"))
                .isEqualTo("password-reset:dXNlci00Mg:QgKVxHr8DKJdbJHQt59mNBFO6TM5RiykwbGtKMTMvLg");
        assertThat(Signer.builder(ring, "email.confirm")
                        .timeSource(time)
                        .build()
                        .sign("a:b:c"))
                .isEqualTo("email.confirm:YTpiOmM:1767225600:XEjr927fVuelbDW-FkYlJ7FFFwecF6cw-zR1sMMdULA");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "user-42",
                "a:b:c",
                ":",
                "::::",
                "value:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "ünïcödé 😀 中文",
                "line\nbreak\r\n\u0000nul",
                "{\"json\": [1, 2, 3]}",
                "https://example.com/?a=b&c=d#e"
            })
    void valuesRoundTrip(String value) {
        String token = signer.sign(value);
        assertThat(token).matches("[A-Za-z0-9._:-]+").startsWith(PURPOSE + ":");
        assertThat(signer.unsign(token)).isEqualTo(value);
        assertThat(signer.unsign(token, Duration.ofMinutes(5))).isEqualTo(value);
        Signer untimed = Signer.builder(ring, PURPOSE).timestamped(false).build();
        assertThat(untimed.unsign(untimed.sign(value))).isEqualTo(value);
    }

    @Test
    void longValueRoundTrips() {
        String value = "x".repeat(100_000);
        assertThat(signer.unsign(signer.sign(value))).isEqualTo(value);
    }

    @Test
    void verifyReportsSigningTimeAndKey() {
        String token = signer.sign("v");
        time.advance(Duration.ofMinutes(3));
        VerifiedValue verified = signer.verify(token);
        assertThat(verified).isEqualTo(new VerifiedValue("v", Instant.ofEpochSecond(START), false));
        Signer untimed = Signer.builder(ring, PURPOSE).timestamped(false).build();
        assertThat(untimed.verify(untimed.sign("v")).signedAt()).isNull();
        assertThat(signer.verify(untimed.sign("v")).signedAt()).isNull();
    }

    @Test
    void everySingleCharacterChangeIsRejected() {
        String token = signer.sign("user-42:admin");
        String replacements = "Aa0_-.:%+/= \u00e9";
        for (int i = 0; i < token.length(); i++) {
            for (char c : replacements.toCharArray()) {
                if (token.charAt(i) == c) {
                    continue;
                }
                String tampered = token.substring(0, i) + c + token.substring(i + 1);
                assertThatThrownBy(() -> signer.unsign(tampered))
                        .as("position %d replaced by '%s': %s", i, c, tampered)
                        .isExactlyInstanceOf(BadSignatureException.class);
            }
            // a neighbouring letter, so that even the signature's last character (4 bits of data) is covered
            char flipped = (char) (token.charAt(i) ^ 1);
            String tampered = token.substring(0, i) + flipped + token.substring(i + 1);
            assertThatThrownBy(() -> signer.unsign(tampered))
                    .as("position %d flipped to '%s'", i, flipped)
                    .isExactlyInstanceOf(BadSignatureException.class);
            String deleted = token.substring(0, i) + token.substring(i + 1);
            assertThatThrownBy(() -> signer.unsign(deleted)).isExactlyInstanceOf(BadSignatureException.class);
        }
    }

    @Test
    void tamperedValueIsASignatureMismatch() {
        String token = signer.sign("user-42");
        String other = token.replace("dXNlci00Mg", "dXNlci00Mw"); // user-43
        assertThat(catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(other)))
                .hasMessage("signature does not match the current key or any fallback key: the value was altered, or"
                        + " signed with a key that is no longer in bulwark.secret-key-fallbacks")
                .extracting(BadSignatureException::reason)
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        // moving the timestamp is tampering too
        String later = token.replace(":1767225600:", ":1767229200:");
        assertThat(catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(later))
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        // so is emptying the value (the empty string is a legal value)
        String emptied = token.replace(":dXNlci00Mg:", "::");
        assertThat(catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(emptied))
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        // dropping the timestamp is tampering too
        String untimed = token.replace(":1767225600", "");
        assertThat(catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(untimed))
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ":",
                "::",
                ":::",
                "::::",
                "password-reset",
                "password-reset:",
                "password-reset:dXNlci00Mg",
                "password-reset:dXNlci00Mg:",
                "password-reset:dXNlci00Mg:1767225600:",
                ":dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg::xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtf",
                "password-reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQQ",
                "password-reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ=",
                "password-reset:dXNlci00Mg==:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00M:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg:-1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg:+1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg:99999999999999999999:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg:1767225600:1:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm/PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtf\u00e9",
                "password-reset:dXNlci00Mg:１７６７２２５６００:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                " password-reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ",
                "password-reset:dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ\n",
                "\u0000",
                "😀:😀:😀"
            })
    void malformedTokensAreRejectedAsMalformed(String token) {
        BadSignatureException e = catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(token));
        assertThat(e).isExactlyInstanceOf(BadSignatureException.class);
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e).hasMessage("malformed signed value: expected purpose:value[:timestamp]:signature in base64url");
    }

    @Test
    void overlongPurposeInATokenIsMalformed() {
        String token = "p".repeat(101) + ":dXNlci00Mg:1767225600:xpr0ZufbKgC4GP84CeRg9tnPVm_PlkK5GPrVloRrtfQ";
        assertThat(catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(token))
                        .reason())
                .isEqualTo(Reason.MALFORMED);
    }

    @Test
    void expiresAfterTheMaxAge() {
        Signer expiring = Signer.builder(ring, PURPOSE)
                .timeSource(time)
                .maxAge(Duration.ofHours(1))
                .build();
        String token = expiring.sign("user-42");
        time.advance(Duration.ofHours(1));
        assertThat(expiring.unsign(token)).isEqualTo("user-42");
        time.advance(Duration.ofSeconds(1));
        SignatureExpiredException e =
                catchThrowableOfType(SignatureExpiredException.class, () -> expiring.unsign(token));
        assertThat(e.age()).isEqualTo(Duration.ofSeconds(3601));
        assertThat(e.maxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(e.signedAt()).isEqualTo(Instant.ofEpochSecond(START));
        assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(e)
                .isInstanceOf(BadSignatureException.class)
                .hasMessage("signed value expired: age PT1H1S exceeds the max age PT1H");
        // the per-call max age replaces the configured one
        assertThat(expiring.unsign(token, Duration.ofDays(1))).isEqualTo("user-42");
        assertThat(expiring.maxAge()).contains(Duration.ofHours(1));
    }

    @Test
    void perCallMaxAgeOnASignerWithoutOne() {
        String token = signer.sign("v");
        time.advance(Duration.ofMinutes(10));
        assertThat(signer.unsign(token)).isEqualTo("v");
        assertThat(signer.unsign(token, Duration.ofMinutes(10))).isEqualTo("v");
        assertThatThrownBy(() -> signer.unsign(token, Duration.ofMinutes(9)))
                .isInstanceOf(SignatureExpiredException.class);
        assertThatThrownBy(() -> signer.verify(token, Duration.ofSeconds(599)))
                .isInstanceOf(SignatureExpiredException.class);
        assertThat(signer.maxAge()).isEmpty();
    }

    @Test
    void timestampInTheFutureIsAccepted() {
        FakeTimeSource ahead = new FakeTimeSource().advance(Duration.ofSeconds(30));
        String token = Signer.builder(ring, PURPOSE).timeSource(ahead).build().sign("v");
        assertThat(signer.unsign(token, Duration.ofSeconds(1))).isEqualTo("v");
    }

    @Test
    void maxAgeNeedsATimestamp() {
        String token = Signer.builder(ring, PURPOSE).timestamped(false).build().sign("v");
        BadSignatureException e =
                catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(token, Duration.ofHours(1)));
        assertThat(e).isExactlyInstanceOf(BadSignatureException.class);
        assertThat(e.reason()).isEqualTo(Reason.MISSING_TIMESTAMP);
        assertThat(e)
                .hasMessage("signed value has no timestamp, but a max age of PT1H is required; sign it with a"
                        + " timestamped signer");
    }

    @Test
    void genuineTokenForAnotherPurposeIsReportedAsSuch() {
        String token = Signer.of(ring, "email-change").sign("user-42");
        WrongPurposeException e = catchThrowableOfType(WrongPurposeException.class, () -> signer.unsign(token));
        assertThat(e.expectedPurpose()).isEqualTo(PURPOSE);
        assertThat(e.actualPurpose()).isEqualTo("email-change");
        assertThat(e.reason()).isEqualTo(Reason.WRONG_PURPOSE);
        assertThat(e)
                .isInstanceOf(BadSignatureException.class)
                .hasMessage("signed value was issued for purpose 'email-change', expected 'password-reset'");
    }

    @Test
    void relabelledPurposeIsTamperingNotAWrongPurpose() {
        // an attacker who rewrites the clear-text purpose cannot produce a signature for it
        String token = signer.sign("user-42");
        String relabelled = token.replace("password-reset:", "email-change:");
        assertThatThrownBy(() -> signer.unsign(relabelled))
                .isExactlyInstanceOf(BadSignatureException.class)
                .extracting(e -> ((BadSignatureException) e).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThatThrownBy(() -> Signer.of(ring, "email-change").unsign(relabelled))
                .isExactlyInstanceOf(BadSignatureException.class);
    }

    @Test
    void wrongPurposeIsCheckedBeforeExpiry() {
        String token =
                Signer.builder(ring, "email-change").timeSource(time).build().sign("v");
        time.advance(Duration.ofDays(2));
        assertThatThrownBy(() -> signer.unsign(token, Duration.ofHours(1))).isInstanceOf(WrongPurposeException.class);
    }

    @Test
    void rotation() {
        SecretKey oldKey = SecretKey.generate();
        SecretKey newKey = SecretKey.generate();
        String oldToken = Signer.of(KeyRing.of(oldKey), PURPOSE).sign("user-42");

        // step 1: the new key signs, the old key is a fallback; old tokens still verify
        KeyRing rotated = KeyRing.of(oldKey).rotateTo(newKey);
        Signer during = Signer.of(rotated, PURPOSE);
        assertThat(during.unsign(oldToken)).isEqualTo("user-42");
        assertThat(during.verify(oldToken).signedWithFallback()).isTrue();
        String newToken = during.sign("user-42");
        assertThat(during.verify(newToken).signedWithFallback()).isFalse();
        assertThat(Signer.of(KeyRing.of(newKey), PURPOSE).unsign(newToken)).isEqualTo("user-42");
        assertThatThrownBy(() -> Signer.of(KeyRing.of(oldKey), PURPOSE).unsign(newToken))
                .isExactlyInstanceOf(BadSignatureException.class);

        // step 2: once old tokens have expired, the fallback is removed and old tokens are rejected
        Signer after = Signer.of(rotated.withFallbacks(List.of()), PURPOSE);
        assertThat(after.unsign(newToken)).isEqualTo("user-42");
        assertThatThrownBy(() -> after.unsign(oldToken))
                .isExactlyInstanceOf(BadSignatureException.class)
                .extracting(e -> ((BadSignatureException) e).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void wrongPurposeIsDetectedWithAFallbackKeyToo() {
        SecretKey oldKey = SecretKey.generate();
        String token = Signer.of(KeyRing.of(oldKey), "email-change").sign("v");
        Signer current = Signer.of(KeyRing.of(oldKey).rotateTo(SecretKey.generate()), PURPOSE);
        assertThatThrownBy(() -> current.unsign(token)).isInstanceOf(WrongPurposeException.class);
    }

    @Test
    void keysAndValuesNeverAppearInMessagesOrToString() {
        String secretValue = "account-7731-reset";
        String token = signer.sign(secretValue);
        String encoded = token.split(":")[1];
        List<Throwable> thrown = new ArrayList<>();
        thrown.add(catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(token + "x")));
        thrown.add(catchThrowableOfType(
                BadSignatureException.class,
                () -> Signer.of(KeyRing.of(SecretKey.generate()), PURPOSE).unsign(token)));
        thrown.add(catchThrowableOfType(
                BadSignatureException.class, () -> Signer.of(ring, "other").unsign(token)));
        time.advance(Duration.ofDays(1));
        thrown.add(catchThrowableOfType(BadSignatureException.class, () -> signer.unsign(token, Duration.ofHours(1))));
        for (Throwable t : thrown) {
            assertThat(t.getMessage())
                    .doesNotContain(STRONG)
                    .doesNotContain(secretValue)
                    .doesNotContain(encoded)
                    .doesNotContain(token);
        }
        assertThat(signer.toString())
                .isEqualTo("Signer[purpose=password-reset, timestamped=true, maxAge=null, keys=" + ring + "]")
                .doesNotContain(STRONG);
    }

    @Test
    void isSafeForConcurrentUse() throws Exception {
        Signer shared = Signer.builder(KeyRing.of(key, List.of(SecretKey.generate())), PURPOSE)
                .maxAge(Duration.ofHours(1))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String value = thread + ":" + i;
                        if (!shared.unsign(shared.sign(value)).equals(value)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "password reset", "a:b", "ünicode", "a/b", "a+b"})
    void invalidPurposeIsRejected(String purpose) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Signer.builder(ring, purpose))
                .withMessage("signer purpose must be 1 to 100 characters from [A-Za-z0-9._-], such as"
                        + " 'password-reset': '" + purpose + "'");
    }

    @Test
    void purposeLimits() {
        assertThat(Signer.of(ring, "p".repeat(100)).purpose()).hasSize(100);
        assertThatIllegalArgumentException().isThrownBy(() -> Signer.of(ring, "p".repeat(101)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Signer.of(ring, "a\nb"))
                .withMessageEndingWith("'a\\nb'");
        assertThat(Signer.of(ring, "dev.bulwark.sessions_v2-Cookie").purpose())
                .isEqualTo("dev.bulwark.sessions_v2-Cookie");
    }

    @Test
    void maxAgeMustBePositive() {
        Signer.Builder builder = Signer.builder(ring, PURPOSE);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.maxAge(Duration.ZERO))
                .withMessage("signer max age must be positive: PT0S; set the lifetime of the tokens, e.g. PT1H");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.maxAge(Duration.ofSeconds(-1)))
                .withMessage("signer max age must be positive: PT-1S; set the lifetime of the tokens, e.g. PT1H");
        String token = signer.sign("v");
        assertThatIllegalArgumentException().isThrownBy(() -> signer.unsign(token, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> signer.verify(token, Duration.ofMillis(-1)));
    }

    @Test
    void maxAgeRequiresTimestamps() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Signer.builder(ring, PURPOSE)
                        .maxAge(Duration.ofHours(1))
                        .timestamped(false)
                        .build())
                .withMessage("signer max age PT1H requires timestamped tokens; remove the max age or keep"
                        + " timestamped(true)");
    }

    @Test
    void defaultsAndBuilderReuse() {
        Signer defaults = Signer.of(ring, PURPOSE);
        assertThat(defaults.timestamped()).isTrue();
        assertThat(defaults.maxAge()).isEmpty();
        assertThat(defaults.purpose()).isEqualTo(PURPOSE);
        assertThat(defaults.keys()).isSameAs(ring);
        Signer.Builder builder = Signer.builder(ring, PURPOSE).timestamped(false);
        Signer first = builder.build();
        Signer second = builder.timestamped(true).build();
        assertThat(first.timestamped()).isFalse();
        assertThat(second.timestamped()).isTrue();
    }

    @Test
    void unpairedSurrogateCannotBeSigned() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> signer.sign("abc\ud800"))
                .withMessage("value to sign must be well-formed unicode text (it contains an unpaired surrogate)");
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatNullPointerException()
                .isThrownBy(() -> Signer.of(null, PURPOSE))
                .withMessage("keys");
        assertThatNullPointerException().isThrownBy(() -> Signer.of(ring, null)).withMessage("purpose");
        assertThatNullPointerException().isThrownBy(() -> signer.sign(null)).withMessage("value");
        assertThatNullPointerException().isThrownBy(() -> signer.unsign(null)).withMessage("token");
        assertThatNullPointerException()
                .isThrownBy(() -> signer.unsign(null, Duration.ofHours(1)))
                .withMessage("token");
        assertThatNullPointerException()
                .isThrownBy(() -> signer.unsign("t", null))
                .withMessage("maxAge");
        assertThatNullPointerException().isThrownBy(() -> signer.verify(null)).withMessage("token");
        Signer.Builder builder = Signer.builder(ring, PURPOSE);
        assertThatNullPointerException().isThrownBy(() -> builder.maxAge(null)).withMessage("maxAge");
        assertThatNullPointerException()
                .isThrownBy(() -> builder.timeSource(null))
                .withMessage("timeSource");
        assertThatNullPointerException()
                .isThrownBy(() -> new BadSignatureException(null, "m"))
                .withMessage("reason");
        assertThatNullPointerException()
                .isThrownBy(() -> new BadSignatureException(Reason.MALFORMED, null))
                .withMessage("message");
        assertThatNullPointerException()
                .isThrownBy(() -> new WrongPurposeException(null, "a"))
                .withMessage("expectedPurpose");
        assertThatNullPointerException()
                .isThrownBy(() -> new SignatureExpiredException(null, Duration.ZERO, Duration.ZERO))
                .withMessage("signedAt");
        assertThatNullPointerException()
                .isThrownBy(() -> new VerifiedValue(null, null, false))
                .withMessage("value");
    }
}
