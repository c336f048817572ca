package dev.bulwark.core.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.cors.CorsPolicy;
import dev.bulwark.core.headers.ContentSecurityPolicy;
import dev.bulwark.core.headers.CookiePolicy;
import dev.bulwark.core.headers.HttpsRedirect;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import dev.bulwark.core.ratelimit.RateLimiter;
import dev.bulwark.core.secrets.KeyRing;
import dev.bulwark.core.secrets.LoadedSecretKey;
import dev.bulwark.core.secrets.SecretKey;
import dev.bulwark.core.secrets.SecretKeySource;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in readiness check, firing and not firing: a secure baseline reports nothing, and each mutation of it
 * reports exactly the expected id.
 */
class ReadinessChecksTest {

    private static final SecretKey STRONG = SecretKey.generate();

    /** The components of a deployment that passes every check. */
    static final class Setup {
        KeyRing ring = KeyRing.of(STRONG, List.of(SecretKey.generate()));
        LoadedSecretKey loaded = new LoadedSecretKey(STRONG, SecretKeySource.ENVIRONMENT, null, List.of());
        SecurityHeadersPolicy.Builder headers = SecurityHeadersPolicy.builder()
                .hsts(new SecurityHeadersPolicy.Hsts(Duration.ofDays(730), true, true))
                .contentSecurityPolicy(ContentSecurityPolicy.owaspDefault());
        boolean headersOn = true;
        HttpsRedirect redirect = HttpsRedirect.defaults();
        boolean redirectOn = true;
        CookiePolicy.Builder cookies = CookiePolicy.builder();
        boolean cookiesOn = true;
        ClientAddressResolver.Builder client = ClientAddressResolver.builder();
        CorsPolicy.Builder cors = CorsPolicy.builder().allowedOrigins("https://app.example.com");
        RateLimiter.Builder rateLimit = RateLimiter.builder().anonymous("1000/hour");
        boolean rateLimitOn = true;
        boolean noKey;
        boolean limitsOn = true;
        boolean concurrencyOn = true;

        ReadinessReport run() {
            ReadinessContext.Builder context = ReadinessContext.builder()
                    .production(true)
                    .profiles(List.of("prod"))
                    .component(ClientAddressResolver.class, client.build())
                    .component(
                            Cors.class,
                            Cors.builder().defaultPolicy(cors.build()).build());
            if (!noKey) {
                context.component(KeyRing.class, ring).component(LoadedSecretKey.class, loaded);
            }
            if (headersOn) {
                context.component(SecurityHeadersPolicy.class, headers.build());
            }
            if (redirectOn) {
                context.component(HttpsRedirect.class, redirect);
            }
            if (cookiesOn) {
                context.component(CookiePolicy.class, cookies.build());
            }
            if (rateLimitOn) {
                context.component(RateLimiter.class, rateLimit.build());
            }
            if (limitsOn) {
                context.component(RequestLimits.class, RequestLimits.defaults());
            }
            if (concurrencyOn) {
                context.component(
                        ConcurrencyLimiter.class,
                        ConcurrencyLimiter.builder().maxConcurrent(20).build());
            }
            return Readiness.builder().build().run(context.build());
        }
    }

    @Test
    void secureBaselineReportsNothing() {
        ReadinessReport report = new Setup().run();
        assertThat(report.findings()).isEmpty();
        assertThat(report.highest()).isEmpty();
        assertThat(report.render()).isEqualTo("Bulwark production readiness: 0 error(s), 0 warning(s), 0 info");
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("BW-S001", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.noKey = true),
                Arguments.of("BW-S002", ReadinessLevel.ERROR, (Consumer<Setup>)
                        s -> s.ring = KeyRing.of(SecretKey.of("aB3dE5gH7jK9mN1pQ3sT5vW7yZ"))),
                Arguments.of("BW-S003", ReadinessLevel.ERROR, (Consumer<Setup>)
                        s -> s.ring = KeyRing.of(SecretKey.of("django-insecure-" + "x7Kq2mP9vL4nR8tW1zY6cB3dF5gH0jA"))),
                Arguments.of("BW-S003", ReadinessLevel.ERROR, (Consumer<Setup>)
                        s -> s.ring = KeyRing.of(SecretKey.of("change-me"))),
                Arguments.of("BW-S004", ReadinessLevel.WARNING, (Consumer<Setup>)
                        s -> s.ring = KeyRing.of(STRONG, List.of(SecretKey.of("secret")))),
                Arguments.of("BW-S005", ReadinessLevel.INFO, (Consumer<Setup>) s -> s.loaded = new LoadedSecretKey(
                        STRONG, SecretKeySource.PROPERTY, null, List.of(SecretKeySource.ENVIRONMENT))),
                Arguments.of("BW-H001", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.headersOn = false),
                Arguments.of("BW-H002", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.headers.hsts(null)),
                Arguments.of("BW-H003+BW-H005", ReadinessLevel.WARNING, (Consumer<Setup>)
                        s -> s.headers.hsts(new SecurityHeadersPolicy.Hsts(Duration.ofDays(30), true, false))),
                Arguments.of("BW-H005", ReadinessLevel.INFO, (Consumer<Setup>)
                        s -> s.headers.hsts(SecurityHeadersPolicy.Hsts.defaults())),
                Arguments.of("BW-H006", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.headers
                        .frameOptions(null)
                        .contentSecurityPolicy(ContentSecurityPolicy.parse("default-src 'self'"))),
                Arguments.of(
                        "BW-H007", ReadinessLevel.INFO, (Consumer<Setup>) s -> s.headers.contentSecurityPolicy(null)),
                Arguments.of(
                        "BW-H008", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.headers.contentTypeOptions(false)),
                Arguments.of("BW-H009", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.headers.referrerPolicy(null)),
                Arguments.of("BW-T001", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.redirectOn = false),
                Arguments.of("BW-T002", ReadinessLevel.INFO, (Consumer<Setup>) s -> {
                    s.redirectOn = false;
                    s.client.trustedProxies(List.of("10.0.0.0/8"));
                }),
                Arguments.of("BW-P001", ReadinessLevel.ERROR, (Consumer<Setup>)
                        s -> s.client.trustedProxies(List.of("0.0.0.0/0"))),
                Arguments.of("BW-C001", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.cookiesOn = false),
                Arguments.of("BW-C002", ReadinessLevel.WARNING, (Consumer<Setup>)
                        s -> s.cookies.secure(CookiePolicy.SecureMode.NEVER)),
                Arguments.of("BW-C003", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.cookies.httpOnly(false)),
                Arguments.of("BW-C004", ReadinessLevel.WARNING, (Consumer<Setup>)
                        s -> s.cookies.secure(CookiePolicy.SecureMode.ALWAYS).sameSite(CookiePolicy.SameSite.NONE)),
                Arguments.of("BW-O001", ReadinessLevel.WARNING, (Consumer<Setup>)
                        s -> s.cors = CorsPolicy.builder().allowedOrigins("*")),
                Arguments.of("BW-O002", ReadinessLevel.WARNING, (Consumer<Setup>)
                        s -> s.cors = CorsPolicy.builder().allowedOriginRegex("https://[a-z]+\\.example\\.com")),
                Arguments.of("BW-O003", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.cors = CorsPolicy.builder()
                        .allowedOrigins("http://app.example.com")
                        .allowInsecureOrigins(true)
                        .allowCredentials(true)),
                Arguments.of(
                        "BW-O004", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.cors.allowPrivateNetwork(true)),
                Arguments.of("BW-R001", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.rateLimitOn = false),
                Arguments.of(
                        "BW-R001", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.rateLimit = RateLimiter.builder()),
                Arguments.of("BW-R002", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.rateLimit.dryRun(true)),
                Arguments.of("BW-L001", ReadinessLevel.WARNING, (Consumer<Setup>) s -> s.limitsOn = false),
                Arguments.of("BW-L002", ReadinessLevel.INFO, (Consumer<Setup>) s -> s.concurrencyOn = false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void eachCheckFiresOnItsMutationOnly(String id, ReadinessLevel level, Consumer<Setup> mutation) {
        Setup setup = new Setup();
        mutation.accept(setup);
        ReadinessReport report = setup.run();
        // "BW-H003+BW-H005": a short HSTS can never be preloaded either
        List<String> expected = List.of(id.split("\\+"));
        assertThat(report.findings()).extracting(ReadinessFinding::id).containsExactlyElementsOf(expected);
        ReadinessFinding finding = report.findings().get(0);
        assertThat(finding.level()).isEqualTo(level);
        assertThat(finding.message()).isNotBlank();
        assertThat(finding.hint()).isNotBlank();
    }

    @Test
    void findingsNeverContainTheKey() {
        Setup setup = new Setup();
        SecretKey weak = SecretKey.of("hunter2hunter2");
        setup.ring = KeyRing.of(weak, List.of(SecretKey.of("hunter3hunter3")));
        ReadinessReport report = setup.run();
        assertThat(report.render()).doesNotContain("hunter2").doesNotContain("hunter3");
        assertThat(report.findings()).extracting(ReadinessFinding::id).containsExactly("BW-S002", "BW-S004");
    }

    @Test
    void silencedIdsAreDroppedAndFailOnAborts() {
        Setup setup = new Setup();
        setup.rateLimitOn = false;
        setup.client.trustedProxies(List.of("::/0"));
        ReadinessReport report = setup.run();
        assertThat(report.findings()).extracting(ReadinessFinding::id).containsExactly("BW-P001", "BW-R001");
        assertThat(report.reaches(ReadinessLevel.ERROR)).isTrue();
        assertThatThrownBy(() -> report.failOn(ReadinessLevel.ERROR))
                .isInstanceOf(ReadinessFailedException.class)
                .hasMessageContaining("BW-P001 [error]")
                .hasMessageNotContaining("BW-R001");
        assertThatThrownBy(() -> report.failOn(ReadinessLevel.WARNING)).hasMessageContaining("BW-R001 [warning]");
        assertThat(report.render())
                .startsWith("Bulwark production readiness: 1 error(s), 1 warning(s), 0 info")
                .contains("  BW-P001 [error] every address is a trusted proxy ([::/0])");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Readiness.builder().silenced(List.of("H001")))
                .withMessage("silenced id must look like BW-H001: 'H001'");
    }

    @Test
    void runtimeFindingsAreReportedOnceAndJoinTheReport() {
        RuntimeFindings runtime = new RuntimeFindings();
        assertThat(runtime.seen("BW-P002")).isFalse();
        runtime.report(ReadinessFinding.warning("BW-P002", "first", "hint"));
        runtime.report(ReadinessFinding.warning("BW-P002", "second", "hint"));
        assertThat(runtime.seen("BW-P002")).isTrue();
        ReadinessReport report = Readiness.builder()
                .clearChecks()
                .runtime(runtime)
                .build()
                .run(ReadinessContext.builder().build());
        assertThat(report.findings()).singleElement().satisfies(f -> assertThat(f.message())
                .isEqualTo("first"));
    }

    @Test
    void aFailingCheckIsReportedNotThrown() {
        ReadinessReport report = Readiness.builder()
                .clearChecks()
                .check(context -> {
                    throw new IllegalStateException("boom");
                })
                .build()
                .run(ReadinessContext.builder().build());
        assertThat(report.findings()).extracting(ReadinessFinding::id).containsExactly("BW-X001");
    }

    @Test
    void builtInChecksAreDiscoveredAndCoverAtLeastFifteenIds() {
        assertThat(Readiness.builtInChecks())
                .extracting(c -> c.getClass().getSimpleName())
                .containsExactlyInAnyOrder(
                        "SecretKeyChecks",
                        "SecurityHeadersChecks",
                        "TransportChecks",
                        "CookieChecks",
                        "CorsChecks",
                        "RateLimitChecks",
                        "LimitsChecks");
        assertThat(mutations()
                                .flatMap(a -> Stream.of(((String) a.get()[0]).split("\\+")))
                                .distinct()
                                .count()
                        + 1 /* BW-P002 at runtime */)
                .isGreaterThanOrEqualTo(15);
    }

    @Test
    void idsAreValidated() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ReadinessFinding.info("X-1", "m", "h"))
                .withMessage("readiness finding id must look like BW-H001: 'X-1'");
    }
}
