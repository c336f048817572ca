package dev.bulwark.core.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void defaultsAreCombinedOnTheBulwarkAccessLoggerWithoutHealthChecks() {
        AccessLog log = AccessLog.defaults();
        assertThat(log.format().name()).isEqualTo("combined");
        assertThat(log.sink()).hasToString("AccessLogSink.slf4j(bulwark.access)");
        assertThat(log.sampleRate()).isEqualTo(1.0);
        assertThat(log.isExcluded("/health/live")).isTrue();
        assertThat(log.isExcluded("/actuator/health")).isTrue();
        assertThat(log.isExcluded("/api")).isFalse();
    }

    @Test
    void samplingNeverSkipsAnError() {
        List<String> lines = new ArrayList<>();
        AccessLog log = AccessLog.builder()
                .format("%(s)s")
                .sampleRate(0.0)
                .sink(lines::add)
                .build();
        TestEntry ok = new TestEntry();
        TestEntry error = new TestEntry();
        error.status = 503;
        assertThat(log.log(ok)).isFalse();
        assertThat(log.log(error)).isTrue();
        assertThat(lines).containsExactly("503");
    }

    @Test
    void aDisabledSinkCostsNoFormattingAndAFailingOneNeverThrows() {
        List<String> lines = new ArrayList<>();
        AccessLogSink disabled = new AccessLogSink() {
            @Override
            public void write(String line) {
                lines.add(line);
            }

            @Override
            public boolean isEnabled() {
                return false;
            }
        };
        assertThat(AccessLog.builder().sink(disabled).build().log(new TestEntry()))
                .isFalse();
        assertThat(lines).isEmpty();
        AccessLog failing = AccessLog.builder()
                .sink(line -> {
                    throw new IllegalStateException("disk full");
                })
                .build();
        assertThat(failing.log(new TestEntry())).isFalse();
        assertThat(failing.log(new TestEntry())).isFalse();
    }

    @Test
    void exclusionsAddToTheHealthEndpointsOrReplaceThem() {
        AccessLog log = AccessLog.builder().excludePaths(List.of("/static/**")).build();
        assertThat(log.isExcluded("/static/app.js")).isTrue();
        assertThat(log.isExcluded("/health/live")).isTrue();
        AccessLog everything = AccessLog.builder().clearExcludedPaths().build();
        assertThat(everything.isExcluded("/health/live")).isFalse();
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> AccessLog.builder().sampleRate(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("access log sample rate must be between 0 and 1: 1.5");
        assertThatThrownBy(() -> AccessLog.builder().excludePaths(List.of("health")))
                .hasMessage("path pattern must start with '/': 'health'");
    }
}
