package dev.bulwark.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The RFC 7239 {@code Forwarded} header, from a trusted peer. */
class ForwardedHeaderTest {

    private static final ClientAddressResolver RESOLVER = ClientAddressResolver.builder()
            .trustedProxies(List.of("10.0.0.0/8", "fd00::/8"))
            .useForwardedHeader(true)
            .build();

    private static ResolvedClient resolve(String... forwardedLines) {
        FakeRequest.Builder request = FakeRequest.from("10.0.0.1");
        for (String line : forwardedLines) {
            request.header("Forwarded", line);
        }
        return RESOLVER.resolve(request.build());
    }

    @Test
    void quotedIpv6WithProtoAndHostDescribesTheClient() {
        ResolvedClient client =
                resolve("for=\"[2001:db8:cafe::17]:4711\";proto=https;host=shop.example, for=10.0.0.2;proto=http");

        assertThat(client)
                .isEqualTo(new ResolvedClient(
                        IpAddress.of("2001:db8:cafe::17"),
                        "https",
                        "shop.example",
                        443,
                        "for=\"[2001:db8:cafe::17]:4711\";proto=https;host=shop.example, for=10.0.0.2;proto=http",
                        true));
        assertThat(client.secure()).isTrue();
    }

    static Stream<Arguments> forwardedChains() {
        return Stream.of(
                // RFC 7239 section 4 examples
                Arguments.of("for=\"_gazonk\"", "10.0.0.1"),
                Arguments.of("For=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::17"),
                Arguments.of("for=192.0.2.60;proto=http;by=203.0.113.43", "192.0.2.60"),
                Arguments.of("for=192.0.2.43, for=198.51.100.17", "198.51.100.17"),
                // trusted hops are skipped, spoofed left-hand elements ignored
                Arguments.of("for=192.0.2.43, for=198.51.100.17, for=10.0.0.3, for=\"[fd00::2]\"", "198.51.100.17"),
                Arguments.of("for=10.0.0.5, for=10.0.0.4", "10.0.0.5"),
                // unknown, obfuscated, invalid or missing for: the last trustworthy hop
                Arguments.of("for=198.51.100.17, for=unknown, for=10.0.0.2", "10.0.0.2"),
                Arguments.of("for=198.51.100.17, for=unknown", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=_hidden", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=host.example", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, proto=https", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=\"\"", "10.0.0.1"),
                // syntax errors: the last trustworthy hop
                Arguments.of("for=198.51.100.17, for=10.0.0.2;for=10.0.0.3", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, =1.2.3.4", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=1.2.3.4 x", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=\"1.2.3.4", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=1.2.3.4\"", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=\"1.2.3.4\"x", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, for=1.2.3.4;proto=\"a\rb\"", "10.0.0.1"),
                Arguments.of("for=198.51.100.17, f\u00f6r=1.2.3.4", "10.0.0.1"),
                // tolerated: case, whitespace around ';', empty pairs and elements, unknown parameters
                Arguments.of("FOR=198.51.100.17", "198.51.100.17"),
                Arguments.of("for=198.51.100.17 ; proto=https ;", "198.51.100.17"),
                Arguments.of(";;for=198.51.100.17;;", "198.51.100.17"),
                Arguments.of("for=198.51.100.17, , ,for=10.0.0.2, ", "198.51.100.17"),
                Arguments.of("secret=\"a,b\";for=198.51.100.17", "198.51.100.17"),
                Arguments.of("for=198.51.100.17:8080", "198.51.100.17"),
                Arguments.of("for=\"198.51.100.17:_port\"", "198.51.100.17"),
                Arguments.of("for=\"[2001:db8::1]\"", "2001:db8::1"),
                Arguments.of("for=[2001:db8::1]:80", "2001:db8::1"),
                Arguments.of("for=\"\\[2001:db8::1\\]\"", "2001:db8::1"),
                // a quoted comma does not split elements
                Arguments.of("for=198.51.100.17;ext=\"x, for=6.6.6.6\"", "198.51.100.17"),
                Arguments.of("for=198.51.100.17;ext=\"x\\\", for=6.6.6.6\"", "198.51.100.17"),
                Arguments.of("for=198.51.100.17;ext=\"x\\\\\", for=10.0.0.2", "198.51.100.17"),
                // an unterminated quote on the client's side does not swallow our proxies' elements
                Arguments.of("for=\"6.6.6.6, for=198.51.100.17", "198.51.100.17"),
                Arguments.of("for=\"6.6.6.6, for=198.51.100.17, for=10.0.0.2", "198.51.100.17"));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @MethodSource("forwardedChains")
    void theRightMostUntrustedForIsTheClient(String forwarded, String expected) {
        ResolvedClient client = resolve(forwarded);
        assertThat(client.address()).isEqualTo(IpAddress.of(expected));
        assertThat(client.forwardedChain()).isEqualTo(forwarded);
        assertThat(client.viaTrustedProxy()).isTrue();
    }

    @Test
    void forwardedIsPreferredOverXForwardedHeaders() {
        FakeRequest.Builder request = FakeRequest.from("10.0.0.1")
                .header("Forwarded", "for=198.51.100.17;proto=https")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "http")
                .header("X-Forwarded-Host", "other.example")
                .header("X-Forwarded-Port", "8443");

        ResolvedClient client = RESOLVER.resolve(request.build());

        assertThat(client)
                .isEqualTo(new ResolvedClient(
                        IpAddress.of("198.51.100.17"),
                        "https",
                        "app.example",
                        443,
                        "for=198.51.100.17;proto=https",
                        true));
    }

    @Test
    void forwardedHeaderIsIgnoredByDefaultSoAPassThroughProxyCannotBeSpoofed() {
        FakeRequest request = FakeRequest.from("10.0.0.1")
                .header("Forwarded", "for=198.51.100.17;proto=https")
                .header("X-Forwarded-For", "203.0.113.7")
                .build();
        ResolvedClient client = ClientAddressResolver.builder()
                .trustedProxies(List.of("10.0.0.0/8"))
                .build()
                .resolve(request);
        assertThat(client.address()).isEqualTo(IpAddress.of("203.0.113.7"));
        assertThat(client.scheme()).isEqualTo("http");
    }

    @Test
    void xForwardedForIsUsedWhenForwardedIsDisabledOrBlank() {
        FakeRequest request = FakeRequest.from("10.0.0.1")
                .header("Forwarded", "for=198.51.100.17")
                .header("X-Forwarded-For", "203.0.113.7")
                .build();
        ClientAddressResolver withoutForwarded =
                RESOLVER.toBuilder().useForwardedHeader(false).build();
        assertThat(withoutForwarded.resolve(request).address()).isEqualTo(IpAddress.of("203.0.113.7"));
        assertThat(withoutForwarded.resolve(request).forwardedChain()).isEqualTo("203.0.113.7");

        FakeRequest blank = FakeRequest.from("10.0.0.1")
                .header("Forwarded", " ")
                .header("X-Forwarded-For", "203.0.113.7")
                .build();
        assertThat(RESOLVER.resolve(blank).address()).isEqualTo(IpAddress.of("203.0.113.7"));
    }

    @Test
    void forwardedFromAnUntrustedPeerIsIgnored() {
        FakeRequest request = FakeRequest.from("198.51.100.20")
                .header("Forwarded", "for=1.2.3.4;proto=https;host=evil.example")
                .build();
        ResolvedClient client = RESOLVER.resolve(request);
        assertThat(client)
                .isEqualTo(new ResolvedClient(IpAddress.of("198.51.100.20"), "http", "app.example", 8080, null, false));
    }

    @Test
    void severalForwardedLinesFormOneList() {
        ResolvedClient client = resolve("for=6.6.6.6, for=198.51.100.17;proto=https", "for=10.0.0.2;proto=http");
        assertThat(client.address()).isEqualTo(IpAddress.of("198.51.100.17"));
        assertThat(client.scheme()).isEqualTo("https");
        assertThat(client.forwardedChain())
                .isEqualTo("for=6.6.6.6, for=198.51.100.17;proto=https, for=10.0.0.2;proto=http");
    }

    @Test
    void protoAndHostComeFromTheElementThatNamesTheClient() {
        ResolvedClient client = resolve(
                "for=6.6.6.6;proto=http;host=evil.example, for=198.51.100.17;proto=https;host=\"shop.example:8443\","
                        + " for=10.0.0.2;proto=http;host=internal.example");
        assertThat(client.scheme()).isEqualTo("https");
        assertThat(client.host()).isEqualTo("shop.example");
        assertThat(client.port()).isEqualTo(8443);
    }

    @Test
    void anElementThatCannotNameItsClientStillSuppliesProtoAndHost() {
        // a trusted proxy that hides client addresses (RFC 7239 section 6.3) still reports the scheme
        ResolvedClient client = resolve("for=unknown;proto=https;host=shop.example");
        assertThat(client.address()).isEqualTo(IpAddress.of("10.0.0.1"));
        assertThat(client.scheme()).isEqualTo("https");
        assertThat(client.host()).isEqualTo("shop.example");
        assertThat(client.port()).isEqualTo(443);
    }

    @Test
    void anElementWithASyntaxErrorSuppliesNothing() {
        ResolvedClient client = resolve("for=198.51.100.17;proto=https;proto=https");
        assertThat(client.address()).isEqualTo(IpAddress.of("10.0.0.1"));
        assertThat(client.scheme()).isEqualTo("http");
        assertThat(client.port()).isEqualTo(8080);

        ResolvedClient stoppedLater = resolve("for=198.51.100.17;proto=http, bad element, for=10.0.0.2;proto=https");
        assertThat(stoppedLater.address()).isEqualTo(IpAddress.of("10.0.0.2"));
        assertThat(stoppedLater.scheme()).isEqualTo("https");
    }

    @Test
    void invalidProtoAndHostValuesAreIgnored() {
        ResolvedClient client = resolve("for=198.51.100.17;proto=ftp;host=\"evil.example\\r\\nX: y\"");
        assertThat(client.address()).isEqualTo(IpAddress.of("198.51.100.17"));
        assertThat(client.scheme()).isEqualTo("http");
        assertThat(client.host()).isEqualTo("app.example");
        assertThat(client.port()).isEqualTo(8080);

        ResolvedClient injected = resolve("for=198.51.100.17;host=\"evil.example\r\nX: y\";proto=https");
        assertThat(injected.address()).isEqualTo(IpAddress.of("10.0.0.1"));
        assertThat(injected.host()).isEqualTo("app.example");
    }

    @Test
    void escapedAndQuotedValuesAreUnescaped() {
        ResolvedClient client = resolve("for=\"198.51.100.17\";proto=\"HTTP\\S\";host=\"shop\\.example\"");
        assertThat(client.address()).isEqualTo(IpAddress.of("198.51.100.17"));
        assertThat(client.scheme()).isEqualTo("https");
        assertThat(client.host()).isEqualTo("shop.example");
        assertThat(client.port()).isEqualTo(443);
    }

    @Test
    void theHopLimitAppliesToForwardedElements() {
        ClientAddressResolver resolver = RESOLVER.toBuilder().maxHops(2).build();
        FakeRequest request = FakeRequest.from("10.0.0.1")
                .header("Forwarded", "for=198.51.100.17;proto=https, for=10.0.0.3;proto=http, for=10.0.0.2")
                .build();
        ResolvedClient client = resolver.resolve(request);
        assertThat(client.address()).isEqualTo(IpAddress.of("10.0.0.3"));
        assertThat(client.scheme()).isEqualTo("http");
    }
}
