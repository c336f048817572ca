package dev.bulwark.core.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PermissionsPolicyTest {

    @Test
    void builderRendersEachAllowlistForm() {
        PermissionsPolicy policy = PermissionsPolicy.builder()
                .disable("camera")
                .allowSelf("geolocation")
                .allowAll("fullscreen")
                .allow("payment", "self", "https://pay.example.com")
                .build();

        assertThat(policy.render())
                .isEqualTo("camera=(), geolocation=(self), fullscreen=*, payment=(self \"https://pay.example.com\")");
        assertThat(policy.features())
                .containsExactly(
                        Map.entry("camera", List.of()),
                        Map.entry("geolocation", List.of("self")),
                        Map.entry("fullscreen", List.of("*")),
                        Map.entry("payment", List.of("self", "https://pay.example.com")));
    }

    @Test
    void restrictiveDisablesPowerfulFeatures() {
        assertThat(PermissionsPolicy.restrictive().render())
                .isEqualTo("camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()");
    }

    @Test
    void varargsMethodsApplyToEveryFeatureAndAllowWithoutEntriesDisables() {
        PermissionsPolicy policy = PermissionsPolicy.builder()
                .disable("camera", "microphone")
                .allowSelf("fullscreen", "picture-in-picture")
                .allow("usb")
                .build();

        assertThat(policy.render())
                .isEqualTo("camera=(), microphone=(), fullscreen=(self), picture-in-picture=(self), usb=()");
    }

    @Test
    void settingAFeatureAgainReplacesItsAllowlistInPlace() {
        PermissionsPolicy policy = PermissionsPolicy.restrictive().toBuilder()
                .allowSelf("geolocation")
                .remove("browsing-topics")
                .allow("payment", "self", "self", "https://pay.example.com")
                .build();

        assertThat(policy.render())
                .isEqualTo("camera=(), microphone=(), geolocation=(self),"
                        + " payment=(self \"https://pay.example.com\"), usb=()");
        assertThat(PermissionsPolicy.restrictive().features()).containsEntry("geolocation", List.of());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://pay.example.com",
                "https://pay.example.com:8443",
                "http://localhost:8080",
                "https://*.example.com",
                "https://127.0.0.1",
                "https://[::1]:8443",
                "https://xn--bcher-kva.example"
            })
    void validOriginIsAccepted(String origin) {
        PermissionsPolicy policy =
                PermissionsPolicy.builder().allow("payment", origin).build();

        assertThat(policy.render()).isEqualTo("payment=(\"" + origin + "\")");
        assertThat(PermissionsPolicy.parse(policy.render())).isEqualTo(policy);
    }

    static Stream<Arguments> invalidAllowlistEntries() {
        return Stream.of(
                arguments(
                        "https://pay.example.com/",
                        "payment allowlist origin must be a serialized origin (scheme://host[:port], lower case,"
                                + " no path): \"https://pay.example.com/\"; use \"https://pay.example.com\""),
                arguments("https://pay.example.com/checkout?x=1", "; use \"https://pay.example.com\""),
                arguments("HTTPS://Pay.Example.com", "; use \"https://pay.example.com\""),
                arguments(
                        "pay.example.com",
                        "payment allowlist origin must be a serialized origin (scheme://host[:port], lower case,"
                                + " no path): \"pay.example.com\"; write it as scheme://host[:port], for example"
                                + " https://pay.example.com"),
                arguments("https://", "must be a serialized origin"),
                arguments("https://pay.example.com:0", "must be a serialized origin"),
                arguments("https://pay.example.com:65536", "must be a serialized origin"),
                arguments("https://pay..example.com", "must be a serialized origin"),
                arguments("https://*.*.example.com", "must be a serialized origin"),
                arguments("https://pay.example.com:*", "must be a serialized origin"),
                arguments("https://pay.example.com\" \"https://evil.example", "must be a serialized origin"),
                arguments("null", "must be a serialized origin"),
                arguments(
                        "'self'",
                        "payment allowlist keyword must be unquoted lower-case self: \"'self'\"; write self"
                                + " (Permissions-Policy is not CSP)"),
                arguments("SELF", "payment allowlist keyword must be unquoted lower-case self"),
                arguments("'*'", "payment allowlist keyword must be unquoted lower-case *"),
                arguments(
                        "'none'",
                        "payment allowlist has no 'none' keyword: \"'none'\"; use disable(\"payment\"),"
                                + " which renders payment=()"),
                arguments("none", "payment allowlist has no 'none' keyword"),
                arguments("src", "payment allowlist must not contain src"),
                arguments("", "must be a serialized origin"));
    }

    @ParameterizedTest
    @MethodSource("invalidAllowlistEntries")
    void invalidAllowlistEntryIsRejectedWithTheFix(String entry, String message) {
        PermissionsPolicy.Builder builder = PermissionsPolicy.builder();

        assertThatThrownBy(() -> builder.allow("payment", "self", entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void wildcardCannotBeCombinedWithOtherEntries() {
        assertThatThrownBy(() -> PermissionsPolicy.builder().allow("fullscreen", "self", "*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fullscreen allowlist must not combine * with other entries: \"self *\";"
                        + " use allowAll(\"fullscreen\") or drop the *");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Camera", "camera ", "1camera", "-camera", "camera_x", "cam*", "", "caméra"})
    void invalidFeatureNameIsRejected(String feature) {
        PermissionsPolicy.Builder builder = PermissionsPolicy.builder();

        assertThatThrownBy(() -> builder.disable("microphone", feature))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("permissions policy feature must be a lower-case token ([a-z][a-z0-9-]*)");
        assertThatThrownBy(builder::build)
                .as("a failed call changes nothing")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void upperCaseFeatureNameSuggestsTheFix() {
        assertThatThrownBy(() -> PermissionsPolicy.builder().disable("Camera"))
                .hasMessage("permissions policy feature must be a lower-case token ([a-z][a-z0-9-]*): \"Camera\";"
                        + " use \"camera\"");
    }

    @Test
    void unknownButWellFormedFeatureIsAccepted() {
        assertThat(PermissionsPolicy.builder()
                        .disable("some-future-feature2")
                        .build()
                        .render())
                .isEqualTo("some-future-feature2=()");
    }

    @Test
    void headerInjectionIsRejected() {
        assertThatThrownBy(() -> PermissionsPolicy.builder().allow("payment", "https://a.example\r\nSet-Cookie: x=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"https://a.example\\r\\nSet-Cookie: x=1\"");
        assertThatThrownBy(() -> PermissionsPolicy.builder().disable("camera\r\nSet-Cookie: x=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"camera\\r\\nSet-Cookie: x=1\"");
        assertThatThrownBy(() -> PermissionsPolicy.parse("camera=()\r\nSet-Cookie: x=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("permissions policy must contain only visible ASCII characters, spaces and tabs:"
                        + " \"camera=()\\r\\nSet-Cookie: x=1\"; remove line breaks");
    }

    static Stream<String> renderedPolicies() {
        return Stream.of(
                "camera=()",
                "camera=(), geolocation=(self), fullscreen=*, payment=(self \"https://pay.example.com\")",
                PermissionsPolicy.restrictive().render(),
                "autoplay=(self \"https://video.example.com\" \"https://*.cdn.example.com\")");
    }

    @ParameterizedTest
    @MethodSource("renderedPolicies")
    void parseRoundTripsTheRenderedPolicy(String header) {
        PermissionsPolicy parsed = PermissionsPolicy.parse(header);

        assertThat(parsed.render()).isEqualTo(header);
        assertThat(PermissionsPolicy.parse(parsed.render())).isEqualTo(parsed).hasSameHashCodeAs(parsed);
        assertThat(parsed.toBuilder().build()).isEqualTo(parsed);
    }

    static Stream<Arguments> equivalentForms() {
        return Stream.of(
                arguments("geolocation=self", "geolocation=(self)"),
                arguments("fullscreen=(*)", "fullscreen=*"),
                arguments("payment=\"https://pay.example.com\"", "payment=(\"https://pay.example.com\")"),
                arguments("  camera=(),\tmicrophone=( )  ", "camera=(), microphone=()"),
                arguments("camera=(  self   \"https://a.example\" )", "camera=(self \"https://a.example\")"),
                arguments("camera=(self), microphone=(), camera=()", "camera=(), microphone=()"));
    }

    @ParameterizedTest
    @MethodSource("equivalentForms")
    void parseAcceptsEquivalentStructuredFieldForms(String header, String rendered) {
        assertThat(PermissionsPolicy.parse(header).render()).isEqualTo(rendered);
    }

    static Stream<Arguments> invalidHeaders() {
        return Stream.of(
                arguments("", "permissions policy must contain at least one feature: \"\"; for example camera=()"),
                arguments("   ", "permissions policy must contain at least one feature"),
                arguments(
                        "camera",
                        "permissions policy feature must have an allowlist: \"camera\"; write camera=() to disable it"
                                + " or camera=(self) to allow it for the page's origin"),
                arguments("Camera=()", "permissions policy feature must be a lower-case token"),
                arguments(
                        "camera=(), ",
                        "permissions policy must be a structured-field dictionary, trailing ',' at index 11:"
                                + " \"camera=(), \"; write for example camera=(), geolocation=(self)"),
                arguments("camera=() microphone=()", "expected ',' between features"),
                arguments("camera=(self", "missing ')' after the camera allowlist"),
                arguments("camera=(self\"https://a.example\")", "expected ' ' or ')' in the camera allowlist"),
                arguments("camera=", "expected self, * or a quoted origin"),
                arguments("camera=(\"https://a.example)", "unterminated string in the camera allowlist"),
                arguments(
                        "payment=(https://pay.example.com)",
                        "payment allowlist origin must be a quoted string: https://pay.example.com;"
                                + " write \"https://pay.example.com\""),
                arguments("payment=('self')", "payment allowlist keyword must be unquoted lower-case self"),
                arguments("payment=(\"self\")", "payment allowlist keyword must be unquoted lower-case self"),
                arguments("payment=(\"*\")", "payment allowlist keyword must be unquoted lower-case *"),
                arguments("payment=('none')", "payment allowlist has no 'none' keyword"),
                arguments("payment=(none)", "payment allowlist has no 'none' keyword"),
                arguments("payment=(\"https://pay.example.com/\")", "use \"https://pay.example.com\""),
                arguments("payment=(self *)", "payment allowlist must not combine * with other entries"),
                arguments("payment=?1", "payment allowlist origin must be a serialized origin"),
                arguments("payment=();report-to=main", "permissions policy parameters are not supported"),
                arguments("camera 'none'", "permissions policy feature must have an allowlist: \"camera\""),
                arguments("payment=(\"https://a\\\"b\")", "origins never contain '\\'"));
    }

    @ParameterizedTest
    @MethodSource("invalidHeaders")
    void parseRejectsInvalidHeaderNamingTheFeatureAndValue(String header, String message) {
        assertThatThrownBy(() -> PermissionsPolicy.parse(header))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void emptyBuilderCannotBuildAndBuildLeavesTheBuilderReusable() {
        PermissionsPolicy.Builder builder = PermissionsPolicy.builder();
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("permissions policy has no feature; add one, for example disable(\"camera\")");

        PermissionsPolicy first = builder.disable("camera").build();
        PermissionsPolicy second = builder.allowSelf("camera").build();
        assertThat(first.render()).isEqualTo("camera=()");
        assertThat(second.render()).isEqualTo("camera=(self)");
    }

    @Test
    void featuresAreUnmodifiable() {
        Map<String, List<String>> features = PermissionsPolicy.restrictive().features();

        assertThatThrownBy(() -> features.put("usb", List.of("*"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> features.get("usb").add("*")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void equalityFollowsTheRenderedValue() {
        PermissionsPolicy a = PermissionsPolicy.parse("camera=(), geolocation=self");
        PermissionsPolicy b = PermissionsPolicy.builder()
                .disable("camera")
                .allowSelf("geolocation")
                .build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).hasToString("camera=(), geolocation=(self)");
        assertThat(a).isNotEqualTo(PermissionsPolicy.restrictive());
    }

    @Test
    void nullArgumentsAreRejected() {
        PermissionsPolicy.Builder builder = PermissionsPolicy.builder();

        assertThatThrownBy(() -> builder.disable((String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.allow(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.allow("payment", (String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PermissionsPolicy.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
