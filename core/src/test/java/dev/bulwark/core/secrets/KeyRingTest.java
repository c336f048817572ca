package dev.bulwark.core.secrets;

import static dev.bulwark.core.secrets.SecretKeyTest.STRONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    private final SecretKey a = SecretKey.generate();
    private final SecretKey b = SecretKey.generate();
    private final SecretKey c = SecretKey.generate();

    @Test
    void holdsCurrentAndFallbacksInOrder() {
        KeyRing ring = KeyRing.of(a, List.of(b, c));
        assertThat(ring.current()).isEqualTo(a);
        assertThat(ring.fallbacks()).containsExactly(b, c);
        assertThat(ring.keys()).containsExactly(a, b, c);
        assertThat(KeyRing.of(a).fallbacks()).isEmpty();
        assertThat(KeyRing.of(a).keys()).containsExactly(a);
    }

    @Test
    void duplicatesAndCopiesOfTheCurrentKeyAreDropped() {
        KeyRing ring = KeyRing.of(
                a, List.of(b, SecretKey.of(new String(a.bytes(), java.nio.charset.StandardCharsets.UTF_8)), b, c, c));
        assertThat(ring.fallbacks()).containsExactly(b, c);
        assertThat(ring.fallbackStrengths()).hasSize(2);
    }

    @Test
    void isImmutable() {
        List<SecretKey> fallbacks = new ArrayList<>(List.of(b));
        KeyRing ring = KeyRing.of(a, fallbacks);
        fallbacks.add(c);
        assertThat(ring.fallbacks()).containsExactly(b);
        assertThat(ring.fallbacks()).isUnmodifiable();
        assertThat(ring.keys()).isUnmodifiable();
    }

    @Test
    void rotateToMakesTheOldCurrentKeyTheFirstFallback() {
        KeyRing rotated = KeyRing.of(a, List.of(b)).rotateTo(c);
        assertThat(rotated.current()).isEqualTo(c);
        assertThat(rotated.fallbacks()).containsExactly(a, b);
        // rotating back to a fallback promotes it without keeping a copy among the fallbacks
        assertThat(rotated.rotateTo(b).keys()).containsExactly(b, c, a);
        assertThat(rotated.withFallbacks(List.of(a)).keys()).containsExactly(c, a);
        assertThat(rotated.withFallbacks(List.of()).keys()).containsExactly(c);
    }

    @Test
    void fallbackStrengthIsEvaluatedSeparately() {
        SecretKey weak = SecretKey.of("change-me");
        KeyRing ring = KeyRing.of(SecretKey.of(STRONG), List.of(a, weak));
        assertThat(ring.currentStrength().isStrong()).isTrue();
        assertThat(ring.fallbackStrengths()).hasSize(2);
        assertThat(ring.fallbackStrengths().get(0).isStrong()).isTrue();
        assertThat(ring.fallbackStrengths().get(1).weaknesses())
                .containsExactly(Weakness.TOO_SHORT, Weakness.PLACEHOLDER);
        assertThat(KeyRing.of(weak, List.of(a)).currentStrength().isWeak()).isTrue();
    }

    @Test
    void equalityAndToStringShowFingerprintsOnly() {
        assertThat(KeyRing.of(a, List.of(b)))
                .isEqualTo(KeyRing.of(a, List.of(b, b)))
                .hasSameHashCodeAs(KeyRing.of(a, List.of(b)));
        assertThat(KeyRing.of(a, List.of(b))).isNotEqualTo(KeyRing.of(b, List.of(a)));
        KeyRing ring = KeyRing.of(SecretKey.of(STRONG), List.of(b));
        assertThat(ring.toString())
                .isEqualTo("KeyRing[current=" + SecretKey.of(STRONG).fingerprint() + ", fallbacks=[" + b.fingerprint()
                        + "]]")
                .doesNotContain(STRONG);
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatNullPointerException().isThrownBy(() -> KeyRing.of(null)).withMessage("current");
        assertThatNullPointerException()
                .isThrownBy(() -> KeyRing.of(null, List.of()))
                .withMessage("current");
        assertThatNullPointerException().isThrownBy(() -> KeyRing.of(a, null)).withMessage("fallbacks");
        assertThatNullPointerException()
                .isThrownBy(() -> KeyRing.of(a, Arrays.asList(b, null)))
                .withMessage("fallback");
        assertThatNullPointerException()
                .isThrownBy(() -> KeyRing.of(a).rotateTo(null))
                .withMessage("next");
        assertThatNullPointerException()
                .isThrownBy(() -> KeyRing.of(a).withFallbacks(null))
                .withMessage("fallbacks");
    }
}
