package dev.bulwark.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretKeyTest {

    /** A strong, hand-written key: 56 characters, many distinct. */
    static final String STRONG = "q8Jx2vR7mZ0pL4tY9wK1nB6cF3hD5sG8aE2uI7oP4yT1rW6eQ9zX0vN3";

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @Test
    void generatedValueIs67UrlSafeCharactersEncoding50Bytes() {
        for (int i = 0; i < 1_000; i++) {
            String value = SecretKey.generateValue();
            assertThat(value).hasSize(67).matches("[A-Za-z0-9_-]{67}");
            assertThat(Base64.getUrlDecoder().decode(value)).hasSize(50);
        }
    }

    @Test
    void generatedKeysAreDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(SecretKey.generateValue())).isTrue();
        }
    }

    @Test
    void generatedKeysLookUniformlyRandom() {
        // 2,000 keys give 100,000 random bytes and 132,000 full base64url characters (6 random bits each)
        int keys = 2_000;
        long[] byteCounts = new long[256];
        Map<Character, Integer> charCounts = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            String value = SecretKey.generateValue();
            for (byte b : Base64.getUrlDecoder().decode(value)) {
                byteCounts[b & 0xff]++;
            }
            // the 67th character carries only 2 random bits; leave it out
            for (char c : value.substring(0, 66).toCharArray()) {
                charCounts.merge(c, 1, Integer::sum);
            }
        }
        assertThat(charCounts.keySet()).hasSize(64);
        assertThat(ALPHABET.chars().mapToObj(c -> (char) c)).allMatch(charCounts::containsKey);
        assertThat(entropyBits(charCounts.values().stream()
                        .mapToLong(Integer::longValue)
                        .toArray()))
                .isGreaterThan(5.99);
        assertThat(entropyBits(byteCounts)).isGreaterThan(7.99);
        // chi-square over 256 byte values (255 degrees of freedom): p < 1e-6 beyond ~370
        double expected = keys * 50 / 256.0;
        double chiSquare = Arrays.stream(byteCounts)
                .mapToDouble(n -> (n - expected) * (n - expected) / expected)
                .sum();
        assertThat(chiSquare).isLessThan(370);
    }

    @Test
    void generatedKeyIsStrong() {
        SecretKey key = SecretKey.generate();
        assertThat(key.strength().isStrong()).isTrue();
        assertThat(key.strength().weaknesses()).isEmpty();
        assertThat(new String(key.bytes(), StandardCharsets.UTF_8)).hasSize(67);
    }

    static Stream<Arguments> strengthCases() {
        return Stream.of(
                Arguments.of(STRONG, EnumSet.noneOf(Weakness.class)),
                Arguments.of("x".repeat(49) + "abcd", EnumSet.noneOf(Weakness.class)), // 53 chars, 5 distinct
                // length: counted in characters (code points), as Python's len()
                Arguments.of(STRONG.substring(0, 49), EnumSet.of(Weakness.TOO_SHORT)),
                Arguments.of(STRONG.substring(0, 50), EnumSet.noneOf(Weakness.class)),
                Arguments.of("é".repeat(46) + "abcd", EnumSet.noneOf(Weakness.class)), // 50 chars, 100 bytes
                Arguments.of("😀".repeat(45) + "abcd", EnumSet.of(Weakness.TOO_SHORT)), // 49 code points
                // distinct characters
                Arguments.of("abcd".repeat(20), EnumSet.of(Weakness.TOO_FEW_DISTINCT_CHARACTERS)),
                Arguments.of("abcde".repeat(20), EnumSet.noneOf(Weakness.class)),
                Arguments.of("aaaa", EnumSet.of(Weakness.TOO_SHORT, Weakness.TOO_FEW_DISTINCT_CHARACTERS)),
                // placeholders, exact and case-insensitive
                Arguments.of("secret", EnumSet.of(Weakness.TOO_SHORT, Weakness.PLACEHOLDER)),
                Arguments.of("Secret-Key", EnumSet.of(Weakness.TOO_SHORT, Weakness.PLACEHOLDER)),
                Arguments.of("your-secret-key", EnumSet.of(Weakness.TOO_SHORT, Weakness.PLACEHOLDER)),
                Arguments.of(" changeme ", EnumSet.of(Weakness.TOO_SHORT, Weakness.PLACEHOLDER)),
                Arguments.of("change-me", EnumSet.of(Weakness.TOO_SHORT, Weakness.PLACEHOLDER)),
                Arguments.of("CHANGE-ME", EnumSet.of(Weakness.TOO_SHORT, Weakness.PLACEHOLDER)),
                Arguments.of("your-new-generated-key-here", EnumSet.of(Weakness.TOO_SHORT, Weakness.PLACEHOLDER)),
                // a placeholder padded to a "strong" length is still a placeholder
                Arguments.of("change-me-" + STRONG, EnumSet.of(Weakness.PLACEHOLDER)),
                Arguments.of("${BULWARK_SECRET_KEY}" + STRONG, EnumSet.of(Weakness.PLACEHOLDER)),
                // a placeholder word inside a key is fine
                Arguments.of(STRONG + "secret", EnumSet.noneOf(Weakness.class)),
                // insecure prefixes
                Arguments.of("django-insecure-" + STRONG, EnumSet.of(Weakness.INSECURE_PREFIX)),
                Arguments.of("Django-Insecure-" + STRONG, EnumSet.of(Weakness.INSECURE_PREFIX)),
                Arguments.of("insecure_" + STRONG, EnumSet.of(Weakness.INSECURE_PREFIX)),
                Arguments.of("INSECURE" + STRONG, EnumSet.of(Weakness.INSECURE_PREFIX)),
                Arguments.of(STRONG + "insecure", EnumSet.noneOf(Weakness.class)),
                Arguments.of("insecure", EnumSet.of(Weakness.TOO_SHORT, Weakness.INSECURE_PREFIX)));
    }

    @ParameterizedTest
    @MethodSource("strengthCases")
    void strengthRules(String value, Set<Weakness> expected) {
        KeyStrength strength = SecretKey.of(value).strength();
        assertThat(strength.weaknesses()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(strength.isStrong()).isEqualTo(expected.isEmpty());
        assertThat(strength.isWeak()).isEqualTo(!expected.isEmpty());
        for (Weakness weakness : Weakness.values()) {
            assertThat(strength.has(weakness)).isEqualTo(expected.contains(weakness));
        }
    }

    @Test
    void describeListsEveryReasonInEnumOrderWithoutTheKey() {
        KeyStrength strength = SecretKey.of("secret").strength();
        assertThat(strength.describe("bulwark.secret-key"))
                .isEqualTo("bulwark.secret-key is weak (has fewer than 50 characters; is or starts with a well-known"
                        + " placeholder such as 'change-me'); generate a new key with: java -cp bulwark-core.jar"
                        + " dev.bulwark.core.secrets.SecretKeyCommand generate")
                .doesNotContain("'secret'");
        assertThat(SecretKey.of(STRONG).strength().describe("bulwark.secret-key"))
                .isEqualTo("bulwark.secret-key is strong");
        assertThat(new KeyStrength(EnumSet.of(Weakness.INSECURE_PREFIX, Weakness.TOO_SHORT)).weaknesses())
                .containsExactly(Weakness.TOO_SHORT, Weakness.INSECURE_PREFIX);
    }

    @Test
    void strengthIsImmutable() {
        Set<Weakness> input = EnumSet.of(Weakness.TOO_SHORT);
        KeyStrength strength = new KeyStrength(input);
        input.add(Weakness.PLACEHOLDER);
        assertThat(strength.weaknesses()).containsExactly(Weakness.TOO_SHORT);
        assertThat(strength.weaknesses()).isUnmodifiable();
        assertThat(new KeyStrength(Set.of())).isEqualTo(SecretKey.of(STRONG).strength());
    }

    @Test
    void fingerprintIsTheDocumentedSha256Prefix() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(("bulwark-secret-key-fingerprint-v1:" + STRONG).getBytes(StandardCharsets.UTF_8));
        String expected = HexFormat.of().formatHex(digest).substring(0, 12);
        SecretKey key = SecretKey.of(STRONG);
        assertThat(key.fingerprint()).isEqualTo(expected).matches("[0-9a-f]{12}");
        // pinned, so that a change of the definition cannot go unnoticed: printf '%s' "bulwark-secret-key-
        // fingerprint-v1:$KEY" | sha256sum | cut -c1-12
        assertThat(SecretKey.of("test-key").fingerprint()).isEqualTo("5ceb7a0ab11b");
        assertThat(SecretKey.of(STRONG).fingerprint()).isEqualTo(key.fingerprint());
        assertThat(SecretKey.of(STRONG + "x").fingerprint()).isNotEqualTo(key.fingerprint());
        // domain-separated: not the plain SHA-256 of the key
        String plain = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(STRONG.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 12);
        assertThat(key.fingerprint()).isNotEqualTo(plain);
    }

    @Test
    void toStringIsMasked() {
        SecretKey key = SecretKey.of(STRONG);
        assertThat(key.toString())
                .isEqualTo("SecretKey[fingerprint=" + key.fingerprint() + "]")
                .doesNotContain(STRONG)
                .doesNotContain(STRONG.substring(0, 8));
        SecretKey generated = SecretKey.generate();
        assertThat(generated.toString()).doesNotContain(new String(generated.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void bytesAreTheUtf8OfTheConfiguredStringAndACopy() {
        SecretKey key = SecretKey.of("é" + STRONG);
        byte[] bytes = key.bytes();
        assertThat(bytes).isEqualTo(("é" + STRONG).getBytes(StandardCharsets.UTF_8));
        bytes[0] = 0;
        assertThat(key.bytes()[0]).isNotEqualTo((byte) 0);
    }

    @Test
    void equalityFollowsTheBytes() {
        assertThat(SecretKey.of(STRONG)).isEqualTo(SecretKey.of(STRONG)).hasSameHashCodeAs(SecretKey.of(STRONG));
        assertThat(SecretKey.of(STRONG)).isNotEqualTo(SecretKey.of(STRONG + "x"));
        assertThat(SecretKey.of(STRONG)).isNotEqualTo(STRONG);
        assertThat(SecretKey.generate()).isNotEqualTo(SecretKey.generate());
    }

    @Test
    void valueIsKeptExactly() {
        assertThat(SecretKey.of(" " + STRONG + "\n").bytes())
                .isEqualTo((" " + STRONG + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyValueIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKey.of(""))
                .withMessage("secret key must not be empty; set it to a generated key: java -cp bulwark-core.jar"
                        + " dev.bulwark.core.secrets.SecretKeyCommand generate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "abc\udc00def", "abc\ud800"})
    void unpairedSurrogateIsRejectedWithoutShowingTheValue(String value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKey.of(value))
                .withMessageStartingWith(
                        "secret key must be well-formed unicode text (it contains an unpaired" + " surrogate)")
                .withMessageNotContaining("abc");
        assertThat(SecretKey.of("😀" + STRONG).strength().isStrong()).isTrue();
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatNullPointerException().isThrownBy(() -> SecretKey.of(null)).withMessage("value");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKey.of(STRONG).strength().describe(null))
                .withMessage("setting");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKey.of(STRONG).strength().has(null))
                .withMessage("weakness");
        assertThatNullPointerException().isThrownBy(() -> new KeyStrength(null)).withMessage("weaknesses");
        Set<Weakness> withNull = new HashSet<>(List.of(Weakness.TOO_SHORT));
        withNull.add(null);
        assertThatNullPointerException()
                .isThrownBy(() -> new KeyStrength(withNull))
                .withMessage("weakness");
    }

    private static double entropyBits(long[] counts) {
        double total = Arrays.stream(counts).sum();
        double bits = 0;
        for (long count : counts) {
            if (count > 0) {
                double p = count / total;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        return bits;
    }
}
