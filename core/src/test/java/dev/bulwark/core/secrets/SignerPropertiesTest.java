package dev.bulwark.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.FakeTimeSource;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any value round-trips; no input makes verification throw anything but {@link BadSignatureException}. */
class SignerPropertiesTest {

    private static final KeyRing RING = KeyRing.of(SecretKey.generate()).rotateTo(SecretKey.generate());
    private static final Signer SIGNER =
            Signer.builder(RING, "prop-test").timeSource(new FakeTimeSource()).build();
    private static final String TOKEN = SIGNER.sign("user-42:role=admin");

    @Property(tries = 1_000)
    void anyWellFormedStringRoundTrips(@ForAll("values") String value) {
        assertThat(SIGNER.unsign(SIGNER.sign(value))).isEqualTo(value);
    }

    @Property(tries = 2_000)
    void arbitraryInputIsOnlyEverABadSignature(@ForAll("tokenish") String input) {
        assertThatThrownBy(() -> SIGNER.unsign(input, Duration.ofDays(1)))
                .isExactlyInstanceOf(BadSignatureException.class);
    }

    @Property(tries = 2_000)
    void mutatedTokensAreRejected(
            @ForAll("positions") int position, @ForAll("tokenChars") char c, @ForAll("edits") Edit edit) {
        int at = Math.min(position, TOKEN.length() - 1);
        String mutated =
                switch (edit) {
                    case REPLACE -> TOKEN.substring(0, at) + c + TOKEN.substring(at + 1);
                    case INSERT -> TOKEN.substring(0, at) + c + TOKEN.substring(at);
                    case DELETE -> TOKEN.substring(0, at) + TOKEN.substring(at + 1);
                    case TRUNCATE -> TOKEN.substring(0, at);
                    case SWAP ->
                        at + 1 < TOKEN.length()
                                ? TOKEN.substring(0, at)
                                        + TOKEN.charAt(at + 1)
                                        + TOKEN.charAt(at)
                                        + TOKEN.substring(at + 2)
                                : TOKEN;
                };
        if (mutated.equals(TOKEN)) {
            assertThat(SIGNER.unsign(mutated)).isEqualTo("user-42:role=admin");
        } else {
            assertThatThrownBy(() -> SIGNER.unsign(mutated)).isExactlyInstanceOf(BadSignatureException.class);
        }
    }

    enum Edit {
        REPLACE,
        INSERT,
        DELETE,
        TRUNCATE,
        SWAP
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().all().ofMaxLength(200).filter(SignerPropertiesTest::isWellFormed);
    }

    @Provide
    Arbitrary<String> tokenish() {
        Arbitrary<String> alphabet = Arbitraries.strings()
                .withChars("AZaz09_-.:=+/%")
                .withCharRange('a', 'z')
                .ofMaxLength(120);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(120);
        Arbitrary<String> shaped = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars("-_.")
                .ofMinLength(1)
                .ofMaxLength(20)
                .flatMap(purpose -> Arbitraries.strings()
                        .withCharRange('A', 'Z')
                        .withCharRange('0', '9')
                        .withChars("-_")
                        .ofMaxLength(60)
                        .map(rest -> purpose + ":" + rest.substring(0, rest.length() / 3) + ":1767225600:"
                                + rest.substring(rest.length() / 3)));
        return Arbitraries.oneOf(alphabet, anything, shaped);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, TOKEN.length() - 1);
    }

    @Provide
    Arbitrary<Character> tokenChars() {
        return Arbitraries.oneOf(
                Arbitraries.chars().alpha().numeric().with('-', '_', '.', ':'),
                Arbitraries.chars().all());
    }

    @Provide
    Arbitrary<Edit> edits() {
        return Arbitraries.of(Edit.class);
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
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
