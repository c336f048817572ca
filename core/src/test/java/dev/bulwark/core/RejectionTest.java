package dev.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RejectionTest {

    @Test
    void capabilityAndReasonAreBoundedTokens() {
        assertThat(Rejection.of(Rejection.LIMITS, "body_too_large")).hasToString("limits/body_too_large");
        assertThatThrownBy(() -> Rejection.of("limits", "Body Too Large"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rejection reason must match [a-z0-9_]+: 'Body Too Large'");
        assertThatThrownBy(() -> Rejection.of("", "x")).hasMessage("rejection capability must match [a-z0-9_]+: ''");
        assertThat(RequestListener.noop()).hasToString("RequestListener.noop()");
    }
}
