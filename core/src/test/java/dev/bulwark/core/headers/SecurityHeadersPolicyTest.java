package dev.bulwark.core.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import dev.bulwark.core.TestRequest;
import dev.bulwark.core.TestResponseHeaders;
import dev.bulwark.core.headers.SecurityHeadersPolicy.FrameOptions;
import dev.bulwark.core.headers.SecurityHeadersPolicy.Hsts;
import dev.bulwark.core.headers.SecurityHeadersPolicy.ReferrerPolicy;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecurityHeadersPolicyTest {

    private static TestResponseHeaders apply(SecurityHeadersPolicy policy, String path, boolean secure) {
        TestResponseHeaders response = new TestResponseHeaders();
        policy.apply(TestRequest.get(path), secure, response, null);
        return response;
    }

    @Test
    void defaultsOnSecureRequest() {
        assertThat(apply(SecurityHeadersPolicy.defaults(), "/", true).asMap())
                .containsExactly(
                        entry("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
                        entry("X-Content-Type-Options", "nosniff"),
                        entry("X-Frame-Options", "DENY"),
                        entry("Referrer-Policy", "same-origin"),
                        entry("Cross-Origin-Opener-Policy", "same-origin"),
                        entry("X-XSS-Protection", "0"));
    }

    @Test
    void sinkThatCannotTellEmptinessGetsTheSameHeaders() {
        TestResponseHeaders opaque = new TestResponseHeaders().opaque();
        SecurityHeadersPolicy.defaults().apply(TestRequest.get("/"), true, opaque, null);
        assertThat(opaque.asMap())
                .isEqualTo(apply(SecurityHeadersPolicy.defaults(), "/", true).asMap());
    }

    @Test
    void hstsIsNeverSentOnPlainHttp() {
        assertThat(apply(SecurityHeadersPolicy.defaults(), "/", false).asMap())
                .doesNotContainKey("Strict-Transport-Security")
                .containsEntry("X-Frame-Options", "DENY");
    }

    @Test
    void headerAlreadySetIsNotOverwritten() {
        TestResponseHeaders response = new TestResponseHeaders();
        response.set("x-frame-options", "SAMEORIGIN");
        long written = SecurityHeadersPolicy.defaults().apply(TestRequest.get("/"), true, response, null);
        assertThat(response.all("X-Frame-Options")).containsExactly("SAMEORIGIN");
        int slot = SecurityHeadersPolicy.defaults().slotOf("X-Frame-Options");
        assertThat(written & (1L << slot)).isZero();
        assertThat(written & (1L << SecurityHeadersPolicy.defaults().slotOf("x-content-type-options")))
                .isNotZero();
    }

    @Test
    void everyHeaderCanBeTurnedOff() {
        SecurityHeadersPolicy policy = SecurityHeadersPolicy.builder()
                .hsts(null)
                .contentTypeOptions(false)
                .frameOptions(null)
                .referrerPolicy(null)
                .crossOriginOpenerPolicy(null)
                .xssProtection(false)
                .build();
        assertThat(apply(policy, "/", true).asMap()).isEmpty();
    }

    @Test
    void optInHeadersAndCustomHeader() {
        SecurityHeadersPolicy policy = SecurityHeadersPolicy.builder()
                .crossOriginResourcePolicy(SecurityHeadersPolicy.CrossOriginResourcePolicy.SAME_SITE)
                .crossOriginEmbedderPolicy(SecurityHeadersPolicy.CrossOriginEmbedderPolicy.REQUIRE_CORP)
                .referrerPolicy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN)
                .header("X-Permitted-Cross-Domain-Policies", "none")
                .build();
        assertThat(apply(policy, "/", false).asMap())
                .containsEntry("Cross-Origin-Resource-Policy", "same-site")
                .containsEntry("Cross-Origin-Embedder-Policy", "require-corp")
                .containsEntry("Referrer-Policy", "strict-origin-when-cross-origin")
                .containsEntry("X-Permitted-Cross-Domain-Policies", "none");
    }

    @Test
    void perPathOverrideChangesOrRemovesOneHeader() {
        SecurityHeadersPolicy policy = SecurityHeadersPolicy.builder()
                .override("/embed/**", "X-Frame-Options", "SAMEORIGIN")
                .override("/legacy/**", "Referrer-Policy", null)
                .build();
        assertThat(apply(policy, "/embed/widget", false).asMap()).containsEntry("X-Frame-Options", "SAMEORIGIN");
        assertThat(apply(policy, "/legacy/page", false).asMap())
                .doesNotContainKey("Referrer-Policy")
                .containsEntry("X-Frame-Options", "DENY");
        assertThat(apply(policy, "/other", false).asMap()).containsEntry("X-Frame-Options", "DENY");
    }

    @Test
    void exemptPathGetsNothing() {
        SecurityHeadersPolicy policy =
                SecurityHeadersPolicy.builder().exempt("/raw/**").build();
        assertThat(apply(policy, "/raw/x", true).asMap()).isEmpty();
        assertThat(apply(policy, "/rawx", true).asMap()).isNotEmpty();
    }

    @Test
    void cacheControlRulesFirstMatchWinsThenDefault() {
        SecurityHeadersPolicy policy = SecurityHeadersPolicy.builder()
                .cacheControl("/static/**", "public, max-age=31536000, immutable")
                .cacheControl("/media/**", "public, max-age=2592000")
                .defaultCacheControl("no-store")
                .build();
        assertThat(apply(policy, "/static/app.css", false).get("Cache-Control"))
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(apply(policy, "/media/a.png", false).get("Cache-Control")).isEqualTo("public, max-age=2592000");
        assertThat(apply(policy, "/api/hello", false).get("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void noCacheControlByDefault() {
        assertThat(apply(SecurityHeadersPolicy.defaults(), "/", false).contains("Cache-Control"))
                .isFalse();
    }

    @Test
    void appCacheControlWins() {
        SecurityHeadersPolicy policy =
                SecurityHeadersPolicy.builder().defaultCacheControl("no-store").build();
        TestResponseHeaders response = new TestResponseHeaders();
        response.set("Cache-Control", "max-age=60");
        policy.apply(TestRequest.get("/"), false, response, null);
        assertThat(response.all("Cache-Control")).containsExactly("max-age=60");
    }

    @Test
    void nonceIsSubstitutedAndForcesNoStore() {
        SecurityHeadersPolicy policy = SecurityHeadersPolicy.builder()
                .contentSecurityPolicy(ContentSecurityPolicy.parse("script-src 'self' 'nonce-{nonce}'"))
                .contentSecurityPolicyReportOnly(ContentSecurityPolicy.parse("default-src 'self'"))
                .cacheControl("/static/**", "public, max-age=60")
                .build();
        assertThat(policy.usesNonce()).isTrue();
        TestResponseHeaders response = new TestResponseHeaders();
        policy.apply(TestRequest.get("/page"), true, response, "abcdefghijklmnopqrstuvwx");
        assertThat(response.get("Content-Security-Policy"))
                .isEqualTo("script-src 'self' 'nonce-abcdefghijklmnopqrstuvwx'");
        assertThat(response.get("Content-Security-Policy-Report-Only")).isEqualTo("default-src 'self'");
        assertThat(response.get("Cache-Control")).isEqualTo("no-store");

        TestResponseHeaders staticResponse = new TestResponseHeaders();
        policy.apply(TestRequest.get("/static/a.js"), true, staticResponse, "abcdefghijklmnopqrstuvwx");
        assertThat(staticResponse.get("Cache-Control")).isEqualTo("public, max-age=60");
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of(
                        (Runnable) () -> new Hsts(Duration.ofDays(30), true, true),
                        "hsts preload requires a max-age of at least one year (31536000 seconds), got 2592000 seconds;"
                                + " raise max-age or turn preload off"),
                Arguments.of(
                        (Runnable) () -> new Hsts(Duration.ofDays(365), false, true),
                        "hsts preload requires include-subdomains=true; enable it or turn preload off"),
                Arguments.of(
                        (Runnable) () -> new Hsts(Duration.ofSeconds(-1), true, false),
                        "hsts max-age must not be negative: PT-1S"),
                Arguments.of(
                        (Runnable) () -> SecurityHeadersPolicy.builder().header("X-Bad", "a\r\nSet-Cookie: x=1"),
                        "header X-Bad must not contain control characters (CR, LF, …): 'a\\r\\nSet-Cookie: x=1';"
                                + " remove them from the configured value"),
                Arguments.of(
                        (Runnable) () -> SecurityHeadersPolicy.builder().header("content-security-policy", "x"),
                        "header content-security-policy cannot be set as a custom header: use the content security"
                                + " policy settings, which validate it"),
                Arguments.of(
                        (Runnable) () -> SecurityHeadersPolicy.builder().header("Transfer-Encoding", "chunked"),
                        "header Transfer-Encoding cannot be set as a custom header: it controls message framing,"
                                + " cookies or routing"),
                Arguments.of(
                        (Runnable) () -> SecurityHeadersPolicy.builder().header("Bad Name", "x"),
                        "custom header name must be an HTTP token (letters, digits, '-'): 'Bad Name'"),
                Arguments.of(
                        (Runnable) () -> SecurityHeadersPolicy.builder().cacheControl("static/**", "public"),
                        "path pattern must start with '/': 'static/**'"),
                Arguments.of(
                        (Runnable) () -> SecurityHeadersPolicy.builder().defaultCacheControl("no-store\n"),
                        "default cache-control must not contain control characters (CR, LF, …): 'no-store\\n';"
                                + " remove them from the configured value"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidSettingsFailWithClearMessage(Runnable setting, String message) {
        assertThatIllegalArgumentException().isThrownBy(setting::run).withMessage(message);
    }

    @Test
    void preloadWithRequirementsIsAccepted() {
        SecurityHeadersPolicy policy = SecurityHeadersPolicy.builder()
                .hsts(new Hsts(Duration.ofDays(730), true, true))
                .build();
        assertThat(apply(policy, "/", true).get("Strict-Transport-Security"))
                .isEqualTo("max-age=63072000; includeSubDomains; preload");
    }

    @Test
    void toBuilderRoundTripsAndBuilderIsReusable() {
        SecurityHeadersPolicy.Builder builder = SecurityHeadersPolicy.builder().frameOptions(FrameOptions.SAMEORIGIN);
        SecurityHeadersPolicy first = builder.build();
        builder.frameOptions(FrameOptions.DENY);
        SecurityHeadersPolicy second = builder.build();
        assertThat(first.headersFor("/", true)).containsEntry("X-Frame-Options", "SAMEORIGIN");
        assertThat(second.headersFor("/", true)).containsEntry("X-Frame-Options", "DENY");
        assertThat(first.toBuilder().build().headersFor("/", true)).isEqualTo(first.headersFor("/", true));
    }
}
