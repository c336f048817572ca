package dev.bulwark.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateTest {

    static Stream<Arguments> validRates() {
        return Stream.of(
                Arguments.of("1000/hour", 1000, Duration.ofHours(1), 1000),
                Arguments.of("5000/h", 5000, Duration.ofHours(1), 5000),
                Arguments.of("10/s", 10, Duration.ofSeconds(1), 10),
                Arguments.of("100/15m", 100, Duration.ofMinutes(15), 100),
                Arguments.of("20/second", 20, Duration.ofSeconds(1), 20),
                Arguments.of("5/min", 5, Duration.ofMinutes(1), 5),
                Arguments.of("3/2d", 3, Duration.ofDays(2), 3),
                Arguments.of(" 7 / Hours ", 7, Duration.ofHours(1), 7),
                Arguments.of("10/s;burst=50", 10, Duration.ofSeconds(1), 50),
                Arguments.of("10/s; BURST=10", 10, Duration.ofSeconds(1), 10),
                Arguments.of("1/30sec", 1, Duration.ofSeconds(30), 1));
    }

    @ParameterizedTest
    @MethodSource("validRates")
    void parsesRate(String text, long count, Duration window, long capacity) {
        Rate rate = Rate.parse(text);
        assertThat(rate.count()).isEqualTo(count);
        assertThat(rate.window()).isEqualTo(window);
        assertThat(rate.capacity()).isEqualTo(capacity);
        assertThat(Rate.parse(rate.toString())).isEqualTo(rate);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1000",
                "/hour",
                "0/hour",
                "-1/hour",
                "10/fortnight",
                "10/",
                "10/15",
                "abc/s",
                "10/s;burst=5",
                "10/s;burst=",
                "10/s;size=20",
                "10/0m",
                "1/400d",
                "9999999999999/s",
                "10/ms"
            })
    void rejectsInvalidRate(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rate.parse(text))
                .withMessageStartingWith("rate must look like 1000/hour, 10/s, 100/15m or 10/s;burst=50")
                .withMessageContaining("'" + text + "'");
    }

    @org.junit.jupiter.api.Test
    void parsesSeveralRates() {
        assertThat(Rate.parseList("10/s,1000/hour"))
                .containsExactly(Rate.of(10, Duration.ofSeconds(1)), Rate.of(1000, Duration.ofHours(1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rate.parseList("10/s,"))
                .withMessageContaining("''");
    }

    @org.junit.jupiter.api.Test
    void printsCanonicalForm() {
        assertThat(Rate.parse("1000/h")).hasToString("1000/hour");
        assertThat(Rate.parse("100/900s")).hasToString("100/15m");
        assertThat(Rate.parse("10/s;burst=50")).hasToString("10/second;burst=50");
    }

    @org.junit.jupiter.api.Test
    void burstBelowCountIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rate.of(10, Duration.ofSeconds(1)).withBurst(5))
                .withMessage("burst must be at least the rate's count (10): 5 in 10/second");
    }

    @org.junit.jupiter.api.Test
    void controlCharactersAreEscapedInMessages() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Rate.parse("10/s\r\nX: y"))
                .withMessageNotContaining("\n");
    }
}
