package dev.bulwark.core.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Configuration is validated when it is built, with messages naming the mapping, the setting, the value and the fix. */
class CorsPolicyValidationTest {

    private static final String API = "cors mapping 'api': ";

    private static Arguments invalid(String name, Consumer<CorsPolicy.Builder> policy, String message) {
        return Arguments.of(name, policy, message);
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                invalid(
                        "* with credentials",
                        p -> p.allowedOrigins("*").allowCredentials(true),
                        API + "allowed origin '*' cannot be combined with credentials; list the exact origins instead"),
                invalid(
                        "method * with credentials",
                        p -> p.allowedOrigins("https://a.example.com")
                                .allowedMethods("*")
                                .allowCredentials(true),
                        API + "allowed method '*' cannot be combined with credentials (browsers then read it as a"
                                + " method named '*'); list the methods instead"),
                invalid(
                        "header * with credentials",
                        p -> p.allowedOrigins("https://a.example.com")
                                .allowedHeaders("*")
                                .allowCredentials(true),
                        API + "allowed header '*' cannot be combined with credentials (browsers then read it as a"
                                + " header named '*'); list the headers instead"),
                invalid(
                        "exposed * with credentials",
                        p -> p.allowedOrigins("https://a.example.com")
                                .exposedHeaders("*")
                                .allowCredentials(true),
                        API + "exposed header '*' cannot be combined with credentials (browsers then read it as a"
                                + " header named '*'); list the headers instead"),
                invalid(
                        "null",
                        p -> p.allowedOrigins("null"),
                        API + "allowed origin 'null' must not be allowed: browsers send it from sandboxed iframes,"
                                + " file: pages and redirects, so any attacker page can obtain it; remove it"),
                invalid(
                        "file://",
                        p -> p.allowedOrigins("file://"),
                        API + "allowed origin 'file://' is an opaque origin (browsers send 'null' for file: URLs),"
                                + " which any page can obtain; remove it"),
                invalid(
                        "data: URL",
                        p -> p.allowedOrigins("data:text/html,hi"),
                        API + "allowed origin 'data:text/html,hi' is an opaque origin (browsers send 'null' for data:"
                                + " URLs), which any page can obtain; remove it"),
                invalid(
                        "wildcard on .com",
                        p -> p.allowedOrigins("https://*.com"),
                        API + "allowed origin 'https://*.com' matches every site under the public suffix 'com', which"
                                + " anyone can register; use a domain you own, such as 'https://*.example.com'"),
                invalid(
                        "wildcard on .co.uk",
                        p -> p.allowedOrigins("https://*.co.uk"),
                        API + "allowed origin 'https://*.co.uk' matches every site under the public suffix 'co.uk',"
                                + " which anyone can register; use a domain you own, such as 'https://*.example.co.uk'"),
                invalid(
                        "wildcard on github.io (private section)",
                        p -> p.allowedOrigins("https://*.github.io"),
                        API + "allowed origin 'https://*.github.io' matches every site under the public suffix"
                                + " 'github.io', which anyone can register; use a domain you own, such as"
                                + " 'https://*.example.github.io'"),
                invalid(
                        "wildcard on a single-label name (default rule)",
                        p -> p.allowedOrigins("https://*.internal"),
                        API + "allowed origin 'https://*.internal' matches every site under the public suffix"
                                + " 'internal', which anyone can register; use a domain you own, such as"
                                + " 'https://*.example.internal'"),
                invalid(
                        "wildcard inside a label",
                        p -> p.allowedOrigins("https://*example.com"),
                        API + "allowed origin 'https://*example.com' may use '*' only as the whole first label"
                                + " ('https://*.example.com', one or more subdomains) or as the port"
                                + " ('https://example.com:*')"),
                invalid(
                        "wildcard in the middle",
                        p -> p.allowedOrigins("https://api.*.example.com"),
                        API + "allowed origin 'https://api.*.example.com' may use '*' only as the whole first label"
                                + " ('https://*.example.com', one or more subdomains) or as the port"
                                + " ('https://example.com:*')"),
                invalid(
                        "wildcard on an IP address",
                        p -> p.allowedOrigins("http://*.0.0.1"),
                        API + "allowed origin 'http://*.0.0.1' has a host that ends in a number but is not a"
                                + " dotted-quad IPv4 address; browsers would rewrite it, so write the address as"
                                + " a.b.c.d"),
                invalid(
                        "trailing slash",
                        p -> p.allowedOrigins("https://example.com/"),
                        API + "allowed origin 'https://example.com/' must not end with '/' (browsers send origins"
                                + " without one); use 'https://example.com'"),
                invalid(
                        "path",
                        p -> p.allowedOrigins("https://example.com/app?x=1"),
                        API + "allowed origin 'https://example.com/app?x=1' must not contain a path, query or"
                                + " fragment; use 'https://example.com'"),
                invalid(
                        "fragment",
                        p -> p.allowedOrigins("https://example.com#top"),
                        API + "allowed origin 'https://example.com#top' must not contain a path, query or fragment;"
                                + " use 'https://example.com'"),
                invalid(
                        "user info",
                        p -> p.allowedOrigins("https://example.com@evil.net"),
                        API + "allowed origin 'https://example.com@evil.net' must not contain user info ('@'): the"
                                + " host is what follows '@'; write scheme://host[:port]"),
                invalid(
                        "no scheme",
                        p -> p.allowedOrigins("example.com"),
                        API + "allowed origin 'example.com' must be a serialized origin: scheme://host[:port], such"
                                + " as 'https://example.com'"),
                invalid(
                        "host and port without scheme",
                        p -> p.allowedOrigins("localhost:3000"),
                        API + "allowed origin 'localhost:3000' must be a serialized origin: scheme://host[:port],"
                                + " such as 'https://example.com'"),
                invalid(
                        "empty host",
                        p -> p.allowedOrigins("https://"),
                        API + "allowed origin 'https://' has an empty host; write scheme://host[:port]"),
                invalid(
                        "port out of range",
                        p -> p.allowedOrigins("https://example.com:99999"),
                        API + "allowed origin 'https://example.com:99999' has an invalid port '99999'; use 1..65535"
                                + " without leading zeros, or '*' for any port"),
                invalid(
                        "port zero",
                        p -> p.allowedOrigins("https://example.com:0"),
                        API + "allowed origin 'https://example.com:0' has an invalid port '0'; use 1..65535 without"
                                + " leading zeros, or '*' for any port"),
                invalid(
                        "empty port",
                        p -> p.allowedOrigins("https://example.com:"),
                        API + "allowed origin 'https://example.com:' has an invalid port ''; use 1..65535 without"
                                + " leading zeros, or '*' for any port"),
                invalid(
                        "trailing dot",
                        p -> p.allowedOrigins("https://example.com."),
                        API + "allowed origin 'https://example.com.' must not end with '.': browsers treat"
                                + " 'example.com.' as another origin; remove the trailing dot"),
                invalid(
                        "invalid host character",
                        p -> p.allowedOrigins("https://exa!mple.com"),
                        API + "allowed origin 'https://exa!mple.com' has an invalid character '!' in its host; hosts"
                                + " are letters, digits, '-' and '.'"),
                invalid(
                        "Unicode host",
                        p -> p.allowedOrigins("https://b\u00fccher.example"),
                        API + "allowed origin 'https://b\u00fccher.example' must be ASCII: browsers send"
                                + " internationalized hosts in punycode; write the host as its xn-- form"),
                invalid(
                        "control characters",
                        p -> p.allowedOrigins("https://example.com\r\n"),
                        API + "allowed origin 'https://example.com\\r\\n' must not contain control characters (CR,"
                                + " LF, …); remove them"),
                invalid(
                        "whitespace",
                        p -> p.allowedOrigins("https://a.example.com https://b.example.com"),
                        API + "allowed origin 'https://a.example.com https://b.example.com' must not contain"
                                + " whitespace; list each origin separately"),
                invalid(
                        "http with credentials",
                        p -> p.allowedOrigins("http://app.example.com").allowCredentials(true),
                        API + "allowed origin 'http://app.example.com' uses http:// with credentials, so anyone on the"
                                + " network path can forge it; use https:// or set allowInsecureOrigins(true)"),
                invalid(
                        "http pattern with credentials",
                        p -> p.allowedOrigins("http://*.example.com:*").allowCredentials(true),
                        API + "allowed origin 'http://*.example.com:*' uses http:// with credentials, so anyone on the"
                                + " network path can forge it; use https:// or set allowInsecureOrigins(true)"),
                invalid(
                        "bad IPv6 host",
                        p -> p.allowedOrigins("http://[::g]"),
                        API + "allowed origin 'http://[::g]' has an invalid IPv6 host '[::g]'"),
                invalid(
                        "max age above a day",
                        p -> p.maxAge(Duration.ofSeconds(86_401)),
                        API + "max age must be between 0 and 86400 seconds, got 86401 seconds; browsers cap it anyway"
                                + " (Chrome 7200, Safari 600)"),
                invalid(
                        "negative max age",
                        p -> p.maxAge(Duration.ofSeconds(-1)),
                        API + "max age must be between 0 and 86400 seconds, got -1 seconds; browsers cap it anyway"
                                + " (Chrome 7200, Safari 600)"),
                invalid(
                        "lower-case standard method",
                        p -> p.allowedMethods("get"),
                        API + "allowed method 'get' would never match: browsers send GET in upper case and methods"
                                + " are case-sensitive; write 'GET'"),
                invalid(
                        "forbidden method",
                        p -> p.allowedMethods("TRACE"),
                        API + "allowed method 'TRACE' is a forbidden method that browsers never send; remove it"),
                invalid(
                        "method with CR LF",
                        p -> p.allowedMethods("PUT\r\n"),
                        API + "allowed method 'PUT\\r\\n' is not an HTTP method token"),
                invalid(
                        "header name with a colon",
                        p -> p.allowedHeaders("x-a: b"),
                        API + "allowed header 'x-a: b' is not a header name (RFC 9110 token: letters, digits, '-')"),
                invalid(
                        "exposed header with LF",
                        p -> p.exposedHeaders("x-a\n"),
                        API + "exposed header 'x-a\\n' is not a header name (RFC 9110 token: letters, digits, '-')"),
                invalid(
                        "regex matching anything",
                        p -> p.allowedOriginRegex(".*"),
                        API + "allowed origin regex '.*' matches arbitrary origins such as"
                                + " 'https://bulwark-canary.invalid'; restrict it to your own domains, or use"
                                + " allowedOrigins(\"*\") for a public resource without credentials"),
                invalid(
                        "regex not compiling",
                        p -> p.allowedOriginRegex("https://(a|b.example.com"),
                        API + "allowed origin regex 'https://(a|b.example.com' is not a valid regular expression:"
                                + " Unclosed group"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void invalidMappingIsRefusedAtStartup(String name, Consumer<CorsPolicy.Builder> policy, String message) {
        assertThatThrownBy(() -> Cors.builder().mapping("api", List.of("/api/**"), policy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void standalonePolicyMessagesSayCorsPolicy() {
        assertThatThrownBy(() -> CorsPolicy.builder()
                        .allowedOrigins("*")
                        .allowCredentials(true)
                        .build())
                .hasMessage("cors policy: allowed origin '*' cannot be combined with credentials; list the exact"
                        + " origins instead");
        assertThatThrownBy(() -> Cors.builder().defaultPolicy(p -> p.allowedOrigins("null")))
                .hasMessageStartingWith("cors default policy: allowed origin 'null' must not be allowed");
    }

    @Test
    void configuredOriginsAreNormalizedAsBrowsersSerializeThem() {
        CorsPolicy policy = CorsPolicy.builder()
                .allowedOrigins(
                        "HTTPS://App.Example.COM:443",
                        "http://localhost:80",
                        "http://[0:0:0:0:0:0:0:1]:8080",
                        "https://*.Example.org:*",
                        "https://app.example.com")
                .build();

        assertThat(policy.allowedOrigins())
                .containsExactly(
                        "https://app.example.com", "http://localhost", "http://[::1]:8080", "https://*.example.org:*");
        assertThat(policy.allowsOrigin("https://app.example.com")).isTrue();
        assertThat(policy.allowsOrigin("https://App.Example.com")).isFalse();
        assertThat(policy.allowsOrigin("http://[::1]:8080")).isTrue();
        assertThat(policy.allowsOrigin("https://a.example.org")).isTrue();
        assertThat(policy.allowsOrigin("https://a.example.org:8443")).isTrue();
        assertThat(policy.allowsOrigin("https://example.org")).isFalse();
    }

    @Test
    void loopbackHttpOriginsMayCarryCredentials() {
        assertThatCode(() -> CorsPolicy.builder()
                        .allowedOrigins(
                                "http://localhost:3000",
                                "http://localhost:*",
                                "http://127.0.0.1:8080",
                                "http://[::1]:8080",
                                "http://app.localhost")
                        .allowCredentials(true)
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void insecureOriginsWithCredentialsNeedTheExplicitFlag() {
        CorsPolicy policy = CorsPolicy.builder()
                .allowedOrigins("http://intranet.example.com")
                .allowCredentials(true)
                .allowInsecureOrigins(true)
                .build();

        assertThat(policy.allowInsecureOrigins()).isTrue();
        assertThat(policy.allowsOrigin("http://intranet.example.com")).isTrue();
    }

    @Test
    void aSubdomainPatternOnlyMatchesWellFormedLabels() {
        CorsPolicy policy =
                CorsPolicy.builder().allowedOrigins("https://*.evil.net").build();

        assertThat(policy.allowsOrigin("https://a-b.evil.net")).isTrue();
        assertThat(policy.allowsOrigin("https://x1.a.evil.net")).isTrue();
        // found by OriginMatcherPropertiesTest: labels that no host name has
        assertThat(policy.allowsOrigin("https://-evil.net.evil.net")).isFalse();
        assertThat(policy.allowsOrigin("https://x-.evil.net")).isFalse();
        assertThat(policy.allowsOrigin("https://a.-b.evil.net")).isFalse();
        assertThat(policy.allowsOrigin("https://.x.evil.net")).isFalse();
        assertThat(policy.allowsOrigin("https://a..evil.net")).isFalse();
    }

    @Test
    void registrableDomainsUnderPublicSuffixesMayBeWildcarded() {
        CorsPolicy policy = CorsPolicy.builder()
                .allowedOrigins("https://*.example.co.uk", "https://*.mysite.github.io", "https://*.example.com")
                .build();

        assertThat(policy.allowsOrigin("https://www.example.co.uk")).isTrue();
        assertThat(policy.allowsOrigin("https://a.mysite.github.io")).isTrue();
        assertThat(policy.allowsOrigin("https://evil.github.io")).isFalse();
    }

    @Test
    void defaultsAllowNoOriginAndNoCredentials() {
        CorsPolicy policy = CorsPolicy.defaults();

        assertThat(policy.allowedOrigins()).isEmpty();
        assertThat(policy.allowCredentials()).isFalse();
        assertThat(policy.allowedMethods()).containsExactly("GET", "HEAD", "POST");
        assertThat(policy.allowedHeaders()).isEmpty();
        assertThat(policy.exposedHeaders()).isEmpty();
        assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(86_400));
        assertThat(policy.allowPrivateNetwork()).isFalse();
        assertThat(policy.allowsOrigin("https://example.com")).isFalse();
    }

    @Test
    void maxAgeBoundsAreInclusive() {
        assertThat(CorsPolicy.builder().maxAge(Duration.ZERO).build().maxAge()).isZero();
        assertThat(CorsPolicy.builder().maxAge(Duration.ofDays(1)).build().maxAge())
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void toBuilderKeepsEverySettingAndTheBuilderStaysReusable() {
        CorsPolicy.Builder builder = CorsPolicy.builder()
                .allowedOrigins("https://a.example.com")
                .allowedMethods("GET", "PUT")
                .allowedHeaders("Content-Type")
                .exposedHeaders("ETag")
                .allowCredentials(true)
                .maxAge(Duration.ofSeconds(600))
                .allowPrivateNetwork(true);
        CorsPolicy first = builder.build();
        CorsPolicy copy = first.toBuilder().build();

        assertThat(copy.toString()).isEqualTo(first.toString());
        builder.allowedOrigins("https://b.example.com");
        assertThat(first.allowedOrigins()).containsExactly("https://a.example.com");
        assertThat(builder.build().allowedOrigins()).containsExactly("https://b.example.com");
    }

    @Test
    void invalidMappingNamesAndPatternsAreRefused() {
        assertThatThrownBy(() -> Cors.builder().mapping("default", List.of("/**"), CorsPolicy.defaults()))
                .hasMessage("cors mapping name 'default' is reserved for the default policy; set it with"
                        + " defaultPolicy(..)");
        assertThatThrownBy(() -> Cors.builder()
                        .mapping("api", List.of("/api/**"), CorsPolicy.defaults())
                        .mapping("api", List.of("/v2/**"), CorsPolicy.defaults()))
                .hasMessage("cors mapping 'api' is already defined; use another name");
        assertThatThrownBy(() -> Cors.builder().mapping("my api", List.of("/api/**"), CorsPolicy.defaults()))
                .hasMessage("cors mapping name must be letters, digits, '-', '_' or '.': 'my api'");
        assertThatThrownBy(() -> Cors.builder().mapping("api", List.of(), CorsPolicy.defaults()))
                .hasMessage("cors mapping 'api' needs at least one path pattern, such as '/api/**'");
        assertThatThrownBy(() -> Cors.builder().mapping("api", List.of("api/**"), CorsPolicy.defaults()))
                .hasMessage("path pattern must start with '/': 'api/**'");
        assertThatThrownBy(() -> Cors.builder().preflightCacheSize(-1))
                .hasMessage("cors preflight cache size must not be negative: -1");
        assertThatThrownBy(() -> Cors.builder().maxRequestHeadersLength(0))
                .hasMessage("cors max request headers length must be within 1..65536: 0");
        assertThatThrownBy(() -> Cors.builder().maxRequestHeadersCount(0))
                .hasMessage("cors max request headers count must be within 1..1024: 0");
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        CorsPolicy.Builder builder = CorsPolicy.builder();
        assertThatThrownBy(() -> builder.allowedOrigins((String) null)).hasMessage("origin");
        assertThatThrownBy(() -> builder.allowedMethods((String[]) null)).hasMessage("methods");
        assertThatThrownBy(() -> builder.maxAge(null)).hasMessage("maxAge");
        assertThatThrownBy(() -> CorsPolicy.defaults().allowsOrigin(null)).hasMessage("origin");
        assertThatThrownBy(() -> Cors.of(CorsPolicy.defaults()).evaluate(null)).hasMessage("request");
        assertThatThrownBy(() -> Cors.builder().listener(null)).hasMessage("listener");
    }
}
