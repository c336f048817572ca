package dev.bulwark.core.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentSecurityPolicyTest {

    private static final String SHA256 = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";
    private static final String FIXED_NONCE = "q1w2e3r4t5y6u7i8o9p0AbCd";

    @Test
    void owaspDefaultRendersTheOwaspPolicyInOrder() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.owaspDefault();

        assertThat(csp.render())
                .isEqualTo("default-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none';"
                        + " frame-ancestors 'none'; upgrade-insecure-requests");
        assertThat(csp.usesNonce()).isFalse();
        assertThat(csp.directives().keySet())
                .containsExactly(
                        "default-src",
                        "form-action",
                        "base-uri",
                        "object-src",
                        "frame-ancestors",
                        "upgrade-insecure-requests");
    }

    @Test
    void typedMethodsRenderEveryDirectiveInInsertionOrder() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .defaultSrc("'none'")
                .scriptSrc("'self'")
                .styleSrc("'self'")
                .imgSrc("'self'", "data:")
                .connectSrc("'self'", "wss://socket.example.com")
                .fontSrc("https://fonts.gstatic.com")
                .objectSrc("'none'")
                .mediaSrc("blob:")
                .frameSrc("https://www.youtube-nocookie.com")
                .childSrc("'self'")
                .workerSrc("'self'", "blob:")
                .manifestSrc("'self'")
                .formAction("'self'")
                .frameAncestors("'self'", "https://*.example.com")
                .baseUri("'none'")
                .sandbox("allow-scripts", "allow-forms")
                .reportUri("/csp-reports")
                .reportTo("csp-endpoint")
                .upgradeInsecureRequests()
                .build();

        assertThat(csp.render())
                .isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                        + " connect-src 'self' wss://socket.example.com; font-src https://fonts.gstatic.com;"
                        + " object-src 'none'; media-src blob:; frame-src https://www.youtube-nocookie.com;"
                        + " child-src 'self'; worker-src 'self' blob:; manifest-src 'self'; form-action 'self';"
                        + " frame-ancestors 'self' https://*.example.com; base-uri 'none';"
                        + " sandbox allow-scripts allow-forms; report-uri /csp-reports; report-to csp-endpoint;"
                        + " upgrade-insecure-requests");
    }

    @Test
    void repeatedDirectiveMergesValuesAndDropsDuplicates() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .scriptSrc("'self'", "https://cdn.example.com")
                .imgSrc("'self'")
                .scriptSrc("https://cdn.example.com", "'SELF'", "https://other.example.com")
                .build();

        assertThat(csp.render())
                .isEqualTo("script-src 'self' https://cdn.example.com https://other.example.com; img-src 'self'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "'self'",
                "'unsafe-inline'",
                "'unsafe-eval'",
                "'strict-dynamic'",
                "'unsafe-hashes'",
                "'report-sample'",
                "'wasm-unsafe-eval'",
                "'inline-speculation-rules'",
                "'nonce-{nonce}'",
                SHA256,
                "'sha256-47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU'",
                "'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb'",
                "'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=='",
                "*",
                "https:",
                "data:",
                "blob:",
                "web+app:",
                "example.com",
                "example.com.",
                "*.example.com",
                "localhost:8080",
                "127.0.0.1",
                "https://cdn.example.com",
                "https://cdn.example.com:443/path/to/file.js",
                "https://*.example.com:*",
                "wss://socket.example.com/",
                "https://cdn.example.com/a%20b/~x/@y(1)!"
            })
    void validSourceIsAcceptedAsWritten(String source) {
        ContentSecurityPolicy csp =
                ContentSecurityPolicy.builder().scriptSrc(source).build();

        assertThat(csp.directives()).containsExactly(Map.entry("script-src", List.of(source)));
        assertThat(ContentSecurityPolicy.parse(csp.toString())).isEqualTo(csp);
    }

    static Stream<Arguments> normalisedSources() {
        return Stream.of(
                arguments("'SELF'", "'self'"),
                arguments("'None'", "'none'"),
                arguments("'Unsafe-Inline'", "'unsafe-inline'"),
                arguments("'NONCE-{nonce}'", "'nonce-{nonce}'"),
                arguments(
                        "'SHA256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
                        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"));
    }

    @ParameterizedTest
    @MethodSource("normalisedSources")
    void keywordsAndHashPrefixesAreNormalisedToLowerCase(String source, String expected) {
        assertThat(ContentSecurityPolicy.builder().scriptSrc(source).build().directives())
                .containsEntry("script-src", List.of(expected));
    }

    static Stream<Arguments> invalidSources() {
        return Stream.of(
                arguments("self", "script-src keyword must be quoted: \"self\"; use 'self' with single quotes"),
                arguments("none", "script-src keyword must be quoted: \"none\"; use 'none' with single quotes"),
                arguments("unsafe-inline", "use 'unsafe-inline' with single quotes"),
                arguments("unsafe-eval", "use 'unsafe-eval' with single quotes"),
                arguments("strict-dynamic", "use 'strict-dynamic' with single quotes"),
                arguments("unsafe-hashes", "use 'unsafe-hashes' with single quotes"),
                arguments("report-sample", "use 'report-sample' with single quotes"),
                arguments("wasm-unsafe-eval", "use 'wasm-unsafe-eval' with single quotes"),
                arguments("inline-speculation-rules", "use 'inline-speculation-rules' with single quotes"),
                arguments("nonce-{nonce}", "keyword must be quoted"),
                arguments("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "keyword must be quoted"),
                arguments("{nonce}", "nonce placeholder must be quoted: \"{nonce}\"; use 'nonce-{nonce}'"),
                arguments("\"self\"", "script-src source must use single quotes: \"\"self\"\"; write 'self'"),
                arguments("'self", "script-src source has unbalanced single quotes"),
                arguments("'self''", "script-src source has unbalanced single quotes"),
                arguments("'", "script-src source has unbalanced single quotes"),
                arguments("https://cdn.example.com/a'b", "script-src source must not contain quotes"),
                arguments("'unsafe-everything'", "script-src keyword is unknown: \"'unsafe-everything'\"; use one of"),
                arguments("'https://cdn.example.com'", "script-src keyword is unknown"),
                arguments(
                        "'nonce-abcdefghijklmnopqrstuv'",
                        "script-src nonce must be the per-response placeholder 'nonce-{nonce}'"),
                arguments("'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk='", "hash algorithm must be sha256, sha384 or sha512"),
                arguments(
                        "'sha256-abc'",
                        "script-src hash must be the base64 sha256 digest (44 characters): \"'sha256-abc'\""),
                arguments(
                        "'sha384-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
                        "hash must be the base64 sha384 digest (64 characters)"),
                arguments("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=='", "sha256 digest"),
                arguments("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRk!5NMpJWZG3hSuFU='", "sha256 digest"),
                arguments("https://", "script-src source must be a quoted keyword, a nonce, a hash, a scheme"),
                arguments("https://cdn.*.com", "must be a quoted keyword"),
                arguments("https://cdn..example.com", "must be a quoted keyword"),
                arguments("https://cdn.example.com:99999", "must be a quoted keyword"),
                arguments("https://cdn.example.com:", "must be a quoted keyword"),
                arguments("https://cdn.example.com/?q=1", "must be a quoted keyword"),
                arguments("https://[::1]", "must be a quoted keyword"),
                arguments("1https://x.com", "must be a quoted keyword"),
                arguments("a;b", "script-src value must not contain whitespace, control characters, ';' or ','"),
                arguments("a,b", "script-src value must not contain whitespace"),
                arguments("'self' https:", "script-src value must not contain whitespace"),
                arguments("", "script-src value must not be empty"),
                arguments("https://exämple.com", "script-src value must be ASCII"));
    }

    @ParameterizedTest
    @MethodSource("invalidSources")
    void invalidSourceIsRejectedWithTheFix(String source, String message) {
        ContentSecurityPolicy.Builder builder = ContentSecurityPolicy.builder();

        assertThatThrownBy(() -> builder.scriptSrc(source))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void bareKeywordMessageNamesDirectiveValueAndFix() {
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().defaultSrc("self"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("default-src keyword must be quoted: \"self\"; use 'self' with single quotes");
    }

    @Test
    void noneCombinedWithOtherSourcesIsRejected() {
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().objectSrc("'none'", "'self'"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("object-src 'none' must not be combined with other values: \"'none' 'self'\";"
                        + " remove 'none' or the other values");
    }

    @Test
    void noneCombinedAcrossCallsIsRejectedAndLeavesTheBuilderUnchanged() {
        ContentSecurityPolicy.Builder builder = ContentSecurityPolicy.builder().objectSrc("'none'");

        assertThatThrownBy(() -> builder.objectSrc("https://plugins.example.com"))
                .hasMessageContaining("'none' must not be combined");
        assertThat(builder.objectSrc("'none'").build().render()).isEqualTo("object-src 'none'");
    }

    @Test
    void unknownDirectiveIsRejectedListingTheName() {
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().directive("scirpt-src", "'self'"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "content security policy directive is unknown: \"scirpt-src\"; use one of base-uri,")
                .hasMessageContaining("script-src-attr")
                .hasMessageContaining("webrtc");
    }

    static Stream<Arguments> obsoleteDirectives() {
        return Stream.of(
                arguments("block-all-mixed-content", "use upgrade-insecure-requests instead"),
                arguments("prefetch-src", "remove it, browsers dropped it"),
                arguments("plugin-types", "use object-src 'none' instead"),
                arguments("navigate-to", "remove it, no browser ships it"),
                arguments("referrer", "use the Referrer-Policy header instead"));
    }

    @ParameterizedTest
    @MethodSource("obsoleteDirectives")
    void obsoleteDirectiveIsRejectedWithItsReplacement(String name, String fix) {
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().directive(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "content security policy directive is obsolete and ignored by browsers: \"" + name + "\"; ")
                .hasMessageEndingWith(fix);
    }

    static Stream<Arguments> genericDirectives() {
        return Stream.of(
                arguments("script-src-elem", List.of("'self'"), "script-src-elem 'self'"),
                arguments(
                        "SCRIPT-SRC-ATTR",
                        List.of("'unsafe-hashes'", SHA256),
                        "script-src-attr 'unsafe-hashes' " + SHA256),
                arguments("style-src-elem", List.of("'self'"), "style-src-elem 'self'"),
                arguments("style-src-attr", List.of("'none'"), "style-src-attr 'none'"),
                arguments("fenced-frame-src", List.of("https:"), "fenced-frame-src https:"),
                arguments("require-trusted-types-for", List.of("'script'"), "require-trusted-types-for 'script'"),
                arguments(
                        "trusted-types",
                        List.of("default", "dompurify", "'allow-duplicates'"),
                        "trusted-types default dompurify 'allow-duplicates'"),
                arguments("trusted-types", List.of(), "trusted-types"),
                arguments("trusted-types", List.of("'none'"), "trusted-types 'none'"),
                arguments("webrtc", List.of("'Block'"), "webrtc 'block'"),
                arguments("sandbox", List.of(), "sandbox"),
                arguments(
                        "report-uri",
                        List.of("/a", "https://r.example.com/csp"),
                        "report-uri /a https://r.example.com/csp"),
                arguments("upgrade-insecure-requests", List.of(), "upgrade-insecure-requests"));
    }

    @ParameterizedTest
    @MethodSource("genericDirectives")
    void genericDirectiveAcceptsKnownNames(String name, List<String> values, String rendered) {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .directive(name, values.toArray(new String[0]))
                .build();

        assertThat(csp.render()).isEqualTo(rendered);
        assertThat(ContentSecurityPolicy.parse(rendered)).isEqualTo(csp);
    }

    static Stream<Arguments> invalidDirectiveValues() {
        return Stream.of(
                arguments(
                        "frame-ancestors",
                        new String[] {"'unsafe-inline'"},
                        "frame-ancestors accepts only 'self',"
                                + " 'none', schemes and hosts: \"'unsafe-inline'\"; remove it, browsers ignore it here"),
                arguments("frame-ancestors", new String[] {"'nonce-{nonce}'"}, "frame-ancestors accepts only"),
                arguments("frame-ancestors", new String[] {SHA256}, "frame-ancestors accepts only"),
                arguments(
                        "script-src",
                        new String[0],
                        "script-src must list at least one source;" + " use 'none' to allow nothing"),
                arguments(
                        "upgrade-insecure-requests",
                        new String[] {"1"},
                        "upgrade-insecure-requests takes no value:" + " \"1\"; remove the value"),
                arguments("sandbox", new String[] {"scripts"}, "sandbox token must be an allow-* keyword: \"scripts\""),
                arguments("sandbox", new String[] {"allow-"}, "sandbox token must be an allow-* keyword"),
                arguments("sandbox", new String[] {"'allow-scripts'"}, "sandbox token must be an allow-* keyword"),
                arguments(
                        "report-to",
                        new String[] {"a", "b"},
                        "report-to must name exactly one reporting group:" + " \"a b\""),
                arguments("report-to", new String[] {"'csp'"}, "report-to must be a token"),
                arguments("report-to", new String[] {"a/b"}, "report-to must be a token"),
                arguments("report-to", new String[0], "report-to must name one Reporting-Endpoints group"),
                arguments("report-uri", new String[] {"'/csp'"}, "report-uri must be a URI reference"),
                arguments("report-uri", new String[0], "report-uri must list at least one URI"),
                arguments(
                        "require-trusted-types-for",
                        new String[] {"script"},
                        "require-trusted-types-for must be" + " 'script': \"script\""),
                arguments(
                        "trusted-types",
                        new String[] {"'none'", "default"},
                        "trusted-types 'none' must not be" + " combined"),
                arguments("trusted-types", new String[] {"my<policy>"}, "trusted-types value must be a policy name"),
                arguments("webrtc", new String[] {"allow"}, "webrtc must be 'allow' or 'block': \"allow\""),
                arguments("webrtc", new String[] {"'allow'", "'block'"}, "webrtc must have exactly one value"),
                arguments("webrtc", new String[0], "webrtc must have the value 'allow' or 'block'"));
    }

    @ParameterizedTest
    @MethodSource("invalidDirectiveValues")
    void invalidDirectiveValueIsRejected(String directive, String[] values, String message) {
        ContentSecurityPolicy.Builder builder = ContentSecurityPolicy.builder();

        assertThatThrownBy(() -> builder.directive(directive, values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void headerInjectionThroughASourceIsRejected() {
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().scriptSrc("'self'\r\nSet-Cookie: admin=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("script-src value must not contain whitespace, control characters, ';' or ',':"
                        + " \"'self'\\r\\nSet-Cookie: admin=1\"; pass each value as a separate argument");
    }

    @Test
    void headerInjectionThroughParseIsRejected() {
        assertThatThrownBy(() -> ContentSecurityPolicy.parse("default-src 'self'\r\nSet-Cookie: admin=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("content security policy must contain only visible ASCII characters, spaces and tabs:"
                        + " \"default-src 'self'\\r\\nSet-Cookie: admin=1\"; remove line breaks and write"
                        + " international domain names in punycode (xn--…)");
    }

    @Test
    void headerInjectionThroughTheNonceIsRejected() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .scriptSrc(ContentSecurityPolicy.NONCE_SOURCE)
                .build();

        assertThatThrownBy(() -> csp.render("q1w2e3r4t5y6u7i8o9p0AbCd'\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("content security policy nonce must be at least 22 base64 characters (128 bits):"
                        + " \"q1w2e3r4t5y6u7i8o9p0AbCd'\\r\\nX-Evil: 1\"; use ContentSecurityPolicy.newNonce()");
        assertThatThrownBy(() -> csp.render("q1w2e3r4t5y6u7i8o9p0AbCd'; script-src *"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "short", "q1w2e3r4t5y6u7i8o9p0A", "q1w2e3r4t5y6u7i8o9p0AbCd===", "q1w2e3r4t5y6=7i8o9p0AbCd"})
    void malformedOrShortNonceIsRejected(String nonce) {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .scriptSrc(ContentSecurityPolicy.NONCE_SOURCE)
                .build();

        assertThatThrownBy(() -> csp.render(nonce))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("content security policy nonce must be at least 22 base64 characters");
    }

    @Test
    void nonceIsSubstitutedEverywhereThePlaceholderAppears() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .defaultSrc("'self'")
                .scriptSrc("'self'", ContentSecurityPolicy.NONCE_SOURCE, "'strict-dynamic'")
                .styleSrc(ContentSecurityPolicy.NONCE_SOURCE)
                .build();

        assertThat(csp.usesNonce()).isTrue();
        assertThat(csp.toString())
                .isEqualTo("default-src 'self'; script-src 'self' 'nonce-{nonce}' 'strict-dynamic';"
                        + " style-src 'nonce-{nonce}'");
        assertThat(csp.render(FIXED_NONCE))
                .isEqualTo("default-src 'self'; script-src 'self' 'nonce-q1w2e3r4t5y6u7i8o9p0AbCd' 'strict-dynamic';"
                        + " style-src 'nonce-q1w2e3r4t5y6u7i8o9p0AbCd'");
    }

    @Test
    void nonceAtTheEndOfThePolicyIsSubstituted() {
        ContentSecurityPolicy csp =
                ContentSecurityPolicy.builder().scriptSrc("'nonce-{nonce}'").build();

        assertThat(csp.render(FIXED_NONCE)).isEqualTo("script-src 'nonce-" + FIXED_NONCE + "'");
        assertThat(csp.render("a+b/c-d_e+f/g-h_i+j/k-lmn=="))
                .isEqualTo("script-src 'nonce-a+b/c-d_e+f/g-h_i+j/k-lmn=='");
    }

    @Test
    void renderWithoutNonceFailsWhenThePolicyUsesOne() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .scriptSrc(ContentSecurityPolicy.NONCE_SOURCE)
                .build();

        assertThatThrownBy(csp::render)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("content security policy uses 'nonce-{nonce}' and needs a fresh nonce per response;"
                        + " call render(ContentSecurityPolicy.newNonce())");
    }

    @Test
    void renderWithNonceReturnsTheFixedValueWhenThePolicyUsesNone() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.owaspDefault();

        assertThat(csp.render(FIXED_NONCE)).isSameAs(csp.render());
    }

    @Test
    void newNonceIs24CharactersOfStandardBase64AndUnique() {
        Set<String> seen = new HashSet<>();
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .scriptSrc(ContentSecurityPolicy.NONCE_SOURCE)
                .build();
        for (int i = 0; i < 1_000; i++) {
            String nonce = ContentSecurityPolicy.newNonce();
            assertThat(nonce).hasSize(24).matches("[A-Za-z0-9+/]{24}");
            assertThat(seen.add(nonce)).as("nonce %s repeated", nonce).isTrue();
            assertThat(csp.render(nonce)).isEqualTo("script-src 'nonce-" + nonce + "'");
        }
    }

    static Stream<String> policies() {
        return Stream.of(
                "default-src 'self'",
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
                ContentSecurityPolicy.owaspDefault().toString(),
                "script-src 'nonce-{nonce}' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'",
                "default-src 'none'; sandbox; report-to csp; upgrade-insecure-requests",
                "script-src-elem " + SHA256 + "; trusted-types default 'allow-duplicates'; require-trusted-types-for"
                        + " 'script'; webrtc 'block'");
    }

    @ParameterizedTest
    @MethodSource("policies")
    void parseRoundTripsTheRenderedPolicy(String policy) {
        ContentSecurityPolicy parsed = ContentSecurityPolicy.parse(policy);

        assertThat(parsed.toString()).isEqualTo(policy);
        assertThat(ContentSecurityPolicy.parse(parsed.toString())).isEqualTo(parsed);
        assertThat(parsed.toBuilder().build()).isEqualTo(parsed);
    }

    @Test
    void parseIgnoresEmptyDirectivesAndExtraWhitespaceAndNormalisesCase() {
        ContentSecurityPolicy csp =
                ContentSecurityPolicy.parse(" ;DEFAULT-SRC\t'SELF'   https://cdn.example.com ;; ;img-src data: ; ");

        assertThat(csp.render()).isEqualTo("default-src 'self' https://cdn.example.com; img-src data:");
    }

    @Test
    void parseMergesRepeatedDirectives() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.parse(
                "script-src 'self'; img-src data:; script-src https://cdn.example.com 'self'");

        assertThat(csp.render()).isEqualTo("script-src 'self' https://cdn.example.com; img-src data:");
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                arguments(
                        "",
                        "content security policy must contain at least one directive: \"\"; for example"
                                + " default-src 'self'"),
                arguments(" ; ;", "content security policy must contain at least one directive"),
                arguments(
                        "default-src 'self', script-src 'none'",
                        "content security policy must not contain ',':"
                                + " \"default-src 'self', script-src 'none'\"; a comma separates two policies"),
                arguments(
                        "default-src 'self'; scirpt-src 'self'",
                        "content security policy directive is unknown:" + " \"scirpt-src\""),
                arguments(
                        "default-src self",
                        "default-src keyword must be quoted: \"self\"; use 'self' with" + " single quotes"),
                arguments("img-src 'self' data:; object-src 'none' 'self'", "object-src 'none' must not be combined"),
                arguments("default-src 'self'; script-src", "script-src must list at least one source"),
                arguments("default-src \"self\"", "default-src source must use single quotes"),
                arguments("default-src 'self'\u00a0https:", "must contain only visible ASCII characters"),
                arguments("default-src 'self'\0", "\\u0000"),
                arguments("block-all-mixed-content", "use upgrade-insecure-requests instead"),
                arguments("script-src 'nonce-r4nd0m'", "script-src nonce must be the per-response placeholder"));
    }

    @ParameterizedTest
    @MethodSource("invalidPolicies")
    void parseRejectsInvalidPolicyNamingTheDirectiveAndValue(String policy, String message) {
        assertThatThrownBy(() -> ContentSecurityPolicy.parse(policy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void buildLeavesTheBuilderReusableAndPoliciesIndependent() {
        ContentSecurityPolicy.Builder builder = ContentSecurityPolicy.builder().defaultSrc("'self'");
        ContentSecurityPolicy first = builder.build();
        ContentSecurityPolicy second = builder.imgSrc("data:").build();

        assertThat(first.render()).isEqualTo("default-src 'self'");
        assertThat(second.render()).isEqualTo("default-src 'self'; img-src data:");
    }

    @Test
    void toBuilderWithRemoveReplacesADirective() {
        ContentSecurityPolicy csp = ContentSecurityPolicy.owaspDefault().toBuilder()
                .remove("FRAME-ANCESTORS")
                .frameAncestors("'self'")
                .build();

        assertThat(csp.render())
                .isEqualTo("default-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none';"
                        + " upgrade-insecure-requests; frame-ancestors 'self'");
        assertThat(ContentSecurityPolicy.owaspDefault().directives())
                .containsEntry("frame-ancestors", List.of("'none'"));
    }

    @Test
    void emptyBuilderCannotBuild() {
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("content security policy has no directive; add one, for example defaultSrc(\"'self'\")");
    }

    @Test
    void directivesAreUnmodifiable() {
        Map<String, List<String>> directives =
                ContentSecurityPolicy.owaspDefault().directives();

        assertThatThrownBy(() -> directives.put("script-src", List.of("*")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> directives.get("default-src").add("*"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void equalityFollowsTheRenderedValue() {
        ContentSecurityPolicy a = ContentSecurityPolicy.parse("default-src 'self'; img-src data:");
        ContentSecurityPolicy b = ContentSecurityPolicy.builder()
                .defaultSrc("'SELF'")
                .imgSrc("data:")
                .build();
        ContentSecurityPolicy reordered = ContentSecurityPolicy.builder()
                .imgSrc("data:")
                .defaultSrc("'self'")
                .build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(reordered);
    }

    @Test
    void nullArgumentsAreRejected() {
        ContentSecurityPolicy.Builder builder = ContentSecurityPolicy.builder();

        assertThatThrownBy(() -> builder.scriptSrc((String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.scriptSrc((String[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.directive(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ContentSecurityPolicy.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ContentSecurityPolicy.owaspDefault().render(null))
                .isInstanceOf(NullPointerException.class);
    }
}
