package dev.bulwark.core.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.core.TestRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpsRedirectTest {

    private final HttpsRedirect redirect = HttpsRedirect.defaults();

    @ParameterizedTest
    @CsvSource({"GET, 301", "HEAD, 301", "POST, 308", "PUT, 308", "DELETE, 308", "PATCH, 308"})
    void statusKeepsTheMethodForUnsafeMethods(String method, int status) {
        var decision = redirect.decide(TestRequest.get("/a").method(method), false, "example.com");
        assertThat(decision).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(status));
    }

    @Test
    void locationKeepsPathAndQuery() {
        var decision = redirect.decide(TestRequest.get("/a/b%20c").query("x=1&y=2"), false, "example.com");
        assertThat(decision.orElseThrow().location()).isEqualTo("https://example.com/a/b%20c?x=1&y=2");
    }

    @Test
    void secureRequestIsNotRedirected() {
        assertThat(redirect.decide(TestRequest.get("/"), true, "example.com")).isEmpty();
    }

    @Test
    void healthEndpointsAreExemptByDefault() {
        assertThat(redirect.decide(TestRequest.get("/health/live"), false, "example.com"))
                .isEmpty();
        assertThat(redirect.decide(TestRequest.get("/actuator/health/readiness"), false, "example.com"))
                .isEmpty();
        assertThat(redirect.decide(TestRequest.get("/healthz"), false, "example.com"))
                .isPresent();
    }

    @Test
    void exemptPatternsAreAnchored() {
        HttpsRedirect r =
                HttpsRedirect.builder().exemptPaths(List.of("/public/**")).build();
        assertThat(r.decide(TestRequest.get("/public/x"), false, "h")).isEmpty();
        assertThat(r.decide(TestRequest.get("/x/public/x"), false, "h")).isPresent();
        assertThat(r.decide(TestRequest.get("/health/live"), false, "h")).isPresent();
    }

    @Test
    void canonicalHostRedirectsEvenWhenSecure() {
        HttpsRedirect r =
                HttpsRedirect.builder().canonicalHost("www.example.com").build();
        assertThat(r.decide(TestRequest.get("/p"), true, "example.com")
                        .orElseThrow()
                        .location())
                .isEqualTo("https://www.example.com/p");
        assertThat(r.decide(TestRequest.get("/p"), true, "WWW.example.com")).isEmpty();
    }

    @Test
    void nonDefaultPortIsKept() {
        HttpsRedirect r = HttpsRedirect.builder().httpsPort(8443).build();
        assertThat(r.decide(TestRequest.get("/p"), false, "example.com")
                        .orElseThrow()
                        .location())
                .isEqualTo("https://example.com:8443/p");
    }

    @Test
    void ipv6HostIsBracketed() {
        assertThat(redirect.decide(TestRequest.get("/"), false, "::1")
                        .orElseThrow()
                        .location())
                .isEqualTo("https://[::1]/");
    }

    @Test
    void hostWithIllegalCharactersIsNotReflected() {
        assertThat(redirect.decide(TestRequest.get("/"), false, "evil.com/\"><script>"))
                .isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"[::1]:8443", "[", "example.com:8443", "exa mple.com", "example.com.", "[10.0.0.1]", "a/b"})
    void malformedCanonicalHostsAreRejected(String host) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HttpsRedirect.builder().canonicalHost(host));
    }

    @Test
    void bracketedIpv6CanonicalHostIsAccepted() {
        HttpsRedirect r = HttpsRedirect.builder().canonicalHost("[2001:db8::1]").build();
        assertThat(r.decide(TestRequest.get("/p"), false, "x").orElseThrow().location())
                .isEqualTo("https://[2001:db8::1]/p");
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HttpsRedirect.builder().canonicalHost("https://www.example.com"))
                .withMessage("canonical host must be a host name such as www.example.com (no scheme, path or port; set"
                        + " the https port separately): 'https://www.example.com'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HttpsRedirect.builder().httpsPort(70000))
                .withMessage("https port must be within 1..65535: 70000");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HttpsRedirect.builder().exemptPaths(List.of("health")));
    }
}
