package dev.bulwark.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResolvedClientTest {

    private static final IpAddress ADDRESS = IpAddress.of("203.0.113.7");

    @ParameterizedTest(name = "{0} secure={1}")
    @CsvSource({"https, true", "http, false", "HTTPS, false", "wss, false"})
    void secureMeansExactlyHttps(String scheme, boolean secure) {
        assertThat(new ResolvedClient(ADDRESS, scheme, "app.example", 443, null, true).secure())
                .isEqualTo(secure);
    }

    @Test
    void requiredComponentsAreRejectedByName() {
        assertThatNullPointerException()
                .isThrownBy(() -> new ResolvedClient(null, "http", "h", 80, null, false))
                .withMessage("address");
        assertThatNullPointerException()
                .isThrownBy(() -> new ResolvedClient(ADDRESS, null, "h", 80, null, false))
                .withMessage("scheme");
        assertThatNullPointerException()
                .isThrownBy(() -> new ResolvedClient(ADDRESS, "http", null, 80, null, false))
                .withMessage("host");
    }
}
