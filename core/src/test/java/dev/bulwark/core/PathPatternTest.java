package dev.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "/health/live, /health/live, true",
        "/health/live, /health/live/, false",
        "/health/live, /health/liveness, false",
        "/health/live, /x/health/live, false",
        "/static/**, /static, true",
        "/static/**, /static/, true",
        "/static/**, /static/css/site.css, true",
        "/static/**, /staticfile, false",
        "/static/**, /public/static/a.css, false",
        "/**, /, true",
        "/**, /anything/at/all, true",
        "/, /, true",
        "/, /a, false",
        "/api/*, /api/items, true",
        "/api/*, /api/items/1, false",
        "/api/*/items, /api/v1/items, true",
        "/api/*/items, /api/v1/v2/items, false",
        "/**/*.css, /a/b/c.css, true",
        "/**/*.css, /c.css, true",
        "/**/*.css, /a/b/c.js, false",
        "/v*/users, /v2/users, true",
        "/v*/users, /users, false",
        "/a/**/z, /a/z, true",
        "/a/**/z, /a/b/c/z, true",
        "/a/**/z, /a/b/c/y, false",
        "/Admin, /admin, false",
        "/health/**, health/live, false",
        "/api/v*, /api/v, true",
        "/api/v*, /api/, false",
        "/a/**/z, /a, false",
        "/a/**, /ab, false",
        "/**/z, /z, true",
    })
    void matchesWholePathOnly(String pattern, String path, boolean expected) {
        assertThat(PathPattern.of(pattern).matches(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "health", "/a b", "/a\r\nb", "/a?b", "/a#b", "/a**b"})
    void invalidPatternsAreRejected(String pattern) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.of(pattern));
    }

    @org.junit.jupiter.api.Test
    void errorMessageNamesThePattern() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathPattern.of("static/**"))
                .withMessage("path pattern must start with '/': 'static/**'");
    }
}
