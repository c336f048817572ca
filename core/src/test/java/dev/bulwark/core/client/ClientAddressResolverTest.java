package dev.bulwark.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressResolverTest {

    /** Our proxies: the load balancers in 10.0.0.0/8 and an IPv6 edge in fd00::/8. */
    private static final ClientAddressResolver RESOLVER = ClientAddressResolver.builder()
            .trustedProxies(List.of("10.0.0.0/8", "fd00::/8"))
            .build();

    private static FakeRequest.Builder fromProxy() {
        return FakeRequest.from("10.0.0.1");
    }

    private static IpAddress ip(String literal) {
        return IpAddress.of(literal);
    }

    // --- builder ---------------------------------------------------------------------------------------------------

    @Test
    void defaultsTrustNoProxy() {
        ClientAddressResolver defaults = ClientAddressResolver.defaults();
        assertThat(defaults.trustedProxies()).isEqualTo(TrustedProxies.none());
        assertThat(defaults.maxHops()).isEqualTo(20);
        assertThat(defaults.maxHeaderLength()).isEqualTo(4096);
        assertThat(defaults.useForwardedHeader()).isFalse();
        assertThat(ClientAddressResolver.builder().build())
                .hasToString(defaults.toString())
                .hasToString(
                        "ClientAddressResolver{trustedProxies=[], maxHops=20, maxHeaderLength=4096, useForwardedHeader=false}");
    }

    @Test
    void toBuilderCopiesEverySetting() {
        ClientAddressResolver resolver = ClientAddressResolver.builder()
                .trustedProxies(List.of("192.0.2.0/24"))
                .maxHops(3)
                .maxHeaderLength(100)
                .useForwardedHeader(true)
                .build();
        ClientAddressResolver copy = resolver.toBuilder().build();
        assertThat(copy).hasToString(resolver.toString());
        assertThat(copy.trustedProxies()).isEqualTo(resolver.trustedProxies());
        assertThat(copy.maxHops()).isEqualTo(3);
        assertThat(copy.maxHeaderLength()).isEqualTo(100);
        assertThat(copy.useForwardedHeader()).isTrue();
    }

    @Test
    void buildLeavesTheBuilderReusable() {
        ClientAddressResolver.Builder builder = ClientAddressResolver.builder().maxHops(5);
        ClientAddressResolver first = builder.build();
        ClientAddressResolver second = builder.maxHops(6).build();
        assertThat(first.maxHops()).isEqualTo(5);
        assertThat(second.maxHops()).isEqualTo(6);
    }

    @ParameterizedTest(name = "maxHops({0})")
    @ValueSource(ints = {0, -1, 1001, Integer.MIN_VALUE})
    void maxHops_outOfRange(int maxHops) {
        assertThatThrownBy(() -> ClientAddressResolver.builder().maxHops(maxHops))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max hops must be between 1 and 1000: " + maxHops);
    }

    @ParameterizedTest(name = "maxHeaderLength({0})")
    @ValueSource(ints = {63, 0, -1})
    void maxHeaderLength_tooSmall(int maxHeaderLength) {
        assertThatThrownBy(() -> ClientAddressResolver.builder().maxHeaderLength(maxHeaderLength))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max header length must be at least 64: " + maxHeaderLength);
    }

    @Test
    void builderLimitsAcceptTheirBounds() {
        assertThat(ClientAddressResolver.builder()
                        .maxHops(1)
                        .maxHops(1000)
                        .maxHeaderLength(64)
                        .maxHeaderLength(Integer.MAX_VALUE)
                        .build()
                        .maxHops())
                .isEqualTo(1000);
    }

    @Test
    void trustedProxies_invalidEntry() {
        assertThatThrownBy(() -> ClientAddressResolver.builder().trustedProxies(List.of("proxy.internal")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted proxy must be an IP address or CIDR block such as 10.0.0.0/8 or 2001:db8::/32:"
                        + " 'proxy.internal' (host names are never resolved)");
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        ClientAddressResolver.Builder builder = ClientAddressResolver.builder();
        assertThatNullPointerException()
                .isThrownBy(() -> builder.trustedProxies((TrustedProxies) null))
                .withMessage("trustedProxies");
        assertThatNullPointerException()
                .isThrownBy(() -> builder.trustedProxies((List<String>) null))
                .withMessage("entries");
        assertThatNullPointerException()
                .isThrownBy(() -> RESOLVER.resolve(null))
                .withMessage("request");
    }

    // --- untrusted peers -------------------------------------------------------------------------------------------

    @Test
    void anUntrustedPeerIsTheClientWhateverItsHeadersSay() {
        FakeRequest request = FakeRequest.from("198.51.100.20")
                .header("X-Forwarded-For", "1.2.3.4")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Port", "443")
                .header("Forwarded", "for=5.6.7.8;proto=https;host=evil.example")
                .build();

        ResolvedClient client = RESOLVER.resolve(request);

        assertThat(client)
                .isEqualTo(new ResolvedClient(ip("198.51.100.20"), "http", "app.example", 8080, "1.2.3.4", false));
        assertThat(client.secure()).isFalse();
    }

    @Test
    void theDefaultResolverIgnoresForwardedHeadersEvenFromLoopback() {
        FakeRequest request = FakeRequest.from("127.0.0.1")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "https")
                .build();

        ResolvedClient client = ClientAddressResolver.defaults().resolve(request);

        assertThat(client.address()).isEqualTo(ip("127.0.0.1"));
        assertThat(client.secure()).isFalse();
        assertThat(client.viaTrustedProxy()).isFalse();
        assertThat(client.forwardedChain()).isEqualTo("203.0.113.7");
    }

    @Test
    void withoutForwardedHeadersTheChainIsNull() {
        ResolvedClient client =
                RESOLVER.resolve(FakeRequest.from("198.51.100.20").build());
        assertThat(client.forwardedChain()).isNull();
        assertThat(RESOLVER.resolve(fromProxy().build()).forwardedChain()).isNull();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "unix:/run/app.sock", "/run/app.sock", "garbage", "10.0.0.1:8080", "::1::"})
    void anUnparseablePeerIsNeverTrustedAndReportedAsUnspecified(String peer) {
        ClientAddressResolver trustsAll = ClientAddressResolver.builder()
                .trustedProxies(List.of("0.0.0.0/0", "::/0"))
                .build();
        FakeRequest request = FakeRequest.from(peer)
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "https")
                .build();

        ResolvedClient client = trustsAll.resolve(request);

        assertThat(client.address()).isEqualTo(ip("0.0.0.0"));
        assertThat(client.viaTrustedProxy()).isFalse();
        assertThat(client.scheme()).isEqualTo("http");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "[fd00::1], fd00::1",
        "fd00:0:0:0:0:0:0:1, fd00::1",
        "fe80::1%eth0, fe80::1",
        "[fe80::1%2], fe80::1",
        "::ffff:10.0.0.1, 10.0.0.1",
        "0:0:0:0:0:ffff:a00:1, 10.0.0.1",
    })
    void peerAddressesAreReadAsServersRenderThem(String peer, String address) {
        assertThat(ClientAddressResolver.parsePeer(peer)).isEqualTo(ip(address));
    }

    @Test
    void aMappedPeerMatchesIpv4TrustedProxies() {
        FakeRequest request = FakeRequest.from("::ffff:10.0.0.1")
                .header("X-Forwarded-For", "203.0.113.7")
                .build();
        ResolvedClient client = RESOLVER.resolve(request);
        assertThat(client.viaTrustedProxy()).isTrue();
        assertThat(client.address()).isEqualTo(ip("203.0.113.7"));
    }

    // --- X-Forwarded-For from a trusted peer -------------------------------------------------------------------------

    static Stream<Arguments> xForwardedForChains() {
        return Stream.of(
                Arguments.of("203.0.113.7", "203.0.113.7"),
                Arguments.of("  203.0.113.7  ", "203.0.113.7"),
                // several of our proxies in a row are skipped
                Arguments.of("203.0.113.7, 10.0.0.3, 10.0.0.2", "203.0.113.7"),
                Arguments.of("203.0.113.7,10.0.0.3,\t10.0.0.2", "203.0.113.7"),
                // the client may prepend anything: only the right-most untrusted entry counts
                Arguments.of("1.1.1.1, 203.0.113.7", "203.0.113.7"),
                Arguments.of("10.0.0.9, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
                Arguments.of("not-an-ip, unknown, 203.0.113.7", "203.0.113.7"),
                Arguments.of("127.0.0.1, 203.0.113.7", "203.0.113.7"),
                // a malformed entry stops the walk at the last trustworthy hop
                Arguments.of("203.0.113.7, garbage, 10.0.0.2", "10.0.0.2"),
                Arguments.of("203.0.113.7, unknown, 10.0.0.2", "10.0.0.2"),
                Arguments.of("203.0.113.7, unknown", "10.0.0.1"),
                Arguments.of("unknown", "10.0.0.1"),
                Arguments.of("_obfuscated", "10.0.0.1"),
                Arguments.of("203.0.113.7, 010.0.0.2", "10.0.0.1"),
                Arguments.of("203.0.113.7, proxy.internal", "10.0.0.1"),
                Arguments.of("203.0.113.7, \"10.0.0.2\"", "10.0.0.1"),
                Arguments.of("203.0.113.7, 10.0.0.2 10.0.0.3", "10.0.0.1"),
                Arguments.of("203.0.113.7, fe80::1%eth0", "10.0.0.1"),
                // every entry trusted: the left-most one is the client
                Arguments.of("10.0.0.5, 10.0.0.4", "10.0.0.5"),
                Arguments.of("fd00::5, 10.0.0.4", "fd00::5"),
                // empty elements are ignored
                Arguments.of("203.0.113.7, , 10.0.0.2,", "203.0.113.7"),
                Arguments.of("", "10.0.0.1"),
                Arguments.of(" , ,", "10.0.0.1"),
                // ports, brackets and bare IPv6
                Arguments.of("203.0.113.7:5678", "203.0.113.7"),
                Arguments.of("203.0.113.7:5678, 10.0.0.2:80", "203.0.113.7"),
                Arguments.of("[2001:db8::7]:4711", "2001:db8::7"),
                Arguments.of("[2001:db8::7]", "2001:db8::7"),
                Arguments.of("2001:db8::7", "2001:db8::7"),
                Arguments.of("2001:DB8:0:0:0:0:0:7, [fd00::2]:443", "2001:db8::7"),
                Arguments.of("::ffff:203.0.113.7", "203.0.113.7"),
                Arguments.of("[::ffff:203.0.113.7]:80", "203.0.113.7"),
                Arguments.of("203.0.113.7:_port", "203.0.113.7"),
                // broken ports and brackets are malformed
                Arguments.of("203.0.113.7:65536", "10.0.0.1"),
                Arguments.of("203.0.113.7:", "10.0.0.1"),
                Arguments.of("[203.0.113.7]:80", "10.0.0.1"),
                Arguments.of("[2001:db8::7", "10.0.0.1"),
                Arguments.of("[2001:db8::7]80", "10.0.0.1"),
                Arguments.of("2001:db8::7:80:", "10.0.0.1"));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @MethodSource("xForwardedForChains")
    void aTrustedPeerYieldsTheRightMostUntrustedEntry(String xForwardedFor, String expected) {
        FakeRequest request =
                fromProxy().header("X-Forwarded-For", xForwardedFor).build();

        ResolvedClient client = RESOLVER.resolve(request);

        assertThat(client.address()).isEqualTo(ip(expected));
        assertThat(client.viaTrustedProxy()).isTrue();
        assertThat(client.forwardedChain()).isEqualTo(xForwardedFor);
    }

    @Test
    void aTrustedPeerWithoutForwardedHeadersIsTheClient() {
        ResolvedClient client = RESOLVER.resolve(fromProxy().build());
        assertThat(client).isEqualTo(new ResolvedClient(ip("10.0.0.1"), "http", "app.example", 8080, null, true));
    }

    @Test
    void severalHeaderLinesAreJoinedInOrder() {
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
                .header("X-Forwarded-For", "10.0.0.3")
                .header("X-Forwarded-For", "10.0.0.2")
                .build();

        ResolvedClient client = RESOLVER.resolve(request);

        assertThat(client.address()).isEqualTo(ip("203.0.113.7"));
        assertThat(client.forwardedChain()).isEqualTo("6.6.6.6, 203.0.113.7, 10.0.0.3, 10.0.0.2");
    }

    @Test
    void theHopLimitStopsAtTheLastTrustworthyAddress() {
        String chain = "203.0.113.7, 10.0.0.5, 10.0.0.4, 10.0.0.3";
        FakeRequest request = fromProxy().header("X-Forwarded-For", chain).build();

        assertThat(RESOLVER.toBuilder().maxHops(3).build().resolve(request).address())
                .isEqualTo(ip("10.0.0.5"));
        assertThat(RESOLVER.toBuilder().maxHops(4).build().resolve(request).address())
                .isEqualTo(ip("203.0.113.7"));
        assertThat(RESOLVER.toBuilder().maxHops(1).build().resolve(request).address())
                .isEqualTo(ip("10.0.0.3"));
    }

    @Test
    void ipv6PeersAndClientsWorkLikeIpv4() {
        FakeRequest request = FakeRequest.from("fd00::1")
                .header("X-Forwarded-For", "[2001:db8:cafe::17]:4711, fd00::2")
                .build();
        ResolvedClient client = RESOLVER.resolve(request);
        assertThat(client.address()).hasToString("2001:db8:cafe::17");
        assertThat(client.address().prefix(64)).isEqualTo(ip("2001:db8:cafe::"));
    }

    // --- X-Forwarded-Proto, -Host and -Port ------------------------------------------------------------------------

    @Test
    void xForwardedProtoMakesTheRequestSecureOnlyFromATrustedPeer() {
        FakeRequest.Builder request = FakeRequest.from("10.0.0.1")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "https");

        ResolvedClient trusted = RESOLVER.resolve(request.build());
        ResolvedClient untrusted = RESOLVER.resolve(FakeRequest.from("198.51.100.20")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "https")
                .build());

        assertThat(trusted.secure()).isTrue();
        assertThat(trusted.scheme()).isEqualTo("https");
        assertThat(trusted.port()).isEqualTo(443); // the scheme changed and no port was forwarded
        assertThat(untrusted.secure()).isFalse();
        assertThat(untrusted.port()).isEqualTo(8080);
    }

    @ParameterizedTest(name = "X-Forwarded-Proto: ''{0}'' -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https                  | https",
                "HTTPS                  | https",
                " Https                 | https",
                "http                   | http",
                "wss                    | http",
                "''                     | http",
                // lists line up with X-Forwarded-For (two entries here): the client's value is read from the right
                "https, http            | http",
                "http, https            | https",
                // lists that do not line up: https only when every hop says so
                "https, https, https    | https",
                "https, http, https     | http",
                "https, ftp, https      | http",
            })
    void xForwardedProtoIsReadStrictly(String proto, String expected) {
        // the client 203.0.113.7 is the right-most entry, so position 1 from the right
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
                .header("X-Forwarded-Proto", proto)
                .build();
        assertThat(RESOLVER.resolve(request).scheme()).isEqualTo(expected);
    }

    @Test
    void xForwardedProtoListsAreReadAtTheClientsPosition() {
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.7, 10.0.0.2")
                .header("X-Forwarded-Proto", "http, https, http")
                .build();
        ResolvedClient client = RESOLVER.resolve(request);
        assertThat(client.address()).isEqualTo(ip("203.0.113.7"));
        assertThat(client.scheme()).isEqualTo("https");
    }

    @Test
    void xForwardedProtoOverSeveralLinesIsOneList() {
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "203.0.113.7, 10.0.0.2")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Proto", "http")
                .build();
        assertThat(RESOLVER.resolve(request).scheme()).isEqualTo("https");
    }

    @ParameterizedTest(name = "X-Forwarded-Host: ''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "shop.example           | shop.example   | 80",
                "Shop.Example.          | Shop.Example.  | 80",
                "shop.example:8443      | shop.example   | 8443",
                "203.0.113.80           | 203.0.113.80   | 80",
                "203.0.113.80:81        | 203.0.113.80   | 81",
                "[2001:db8::1]          | [2001:db8::1]  | 80",
                "[2001:db8::1]:8443     | [2001:db8::1]  | 8443",
                "xn--bcher-kva.example  | xn--bcher-kva.example | 80",
                " shop.example          | shop.example   | 80",
                // a list lining up with X-Forwarded-For (two entries): the client's value, counted from the right
                "a.example, b.example   | b.example      | 80",
            })
    void validForwardedHostsAreUsedWithTheirPortOrTheSchemeDefault(String forwardedHost, String host, int port) {
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
                .header("X-Forwarded-Host", forwardedHost)
                .build();
        ResolvedClient client = RESOLVER.resolve(request);
        assertThat(client.host()).isEqualTo(host);
        assertThat(client.port()).isEqualTo(port);
    }

    @ParameterizedTest(name = "X-Forwarded-Host: ''{0}''")
    @ValueSource(
            strings = {
                "evil.example\r\nSet-Cookie: session=1",
                "evil.example\nX: y",
                "evil.example\u0000",
                "evil example",
                "evil.example/path",
                "evil.example?q",
                "evil.example#f",
                "user@evil.example",
                "evil.example:0",
                "evil.example:65536",
                "evil.example:80:80",
                "evil.example:",
                ":80",
                "-evil.example",
                ".evil.example",
                "2001:db8::1",
                "[2001:db8::1",
                "[203.0.113.1]",
                "[2001:db8::1]x",
                "[not:an:ip]",
                "évil.example",
                "",
                "a.example, b.example, c.example",
            })
    void invalidForwardedHostsFallBackToTheRequestHost(String forwardedHost) {
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
                .header("X-Forwarded-Host", forwardedHost)
                .build();
        ResolvedClient client = RESOLVER.resolve(request);
        assertThat(client.host()).isEqualTo("app.example");
        assertThat(client.port()).isEqualTo(8080);
    }

    @Test
    void aForwardedHostLongerThan255CharactersIsIgnored() {
        String label = "a".repeat(63) + ".";
        String host255 = label.repeat(3) + "a".repeat(63);
        assertThat(host255).hasSize(255);
        FakeRequest.Builder request = fromProxy().header("X-Forwarded-For", "203.0.113.7");
        assertThat(RESOLVER.resolve(request.header("X-Forwarded-Host", host255).build())
                        .host())
                .isEqualTo(host255);
        assertThat(RESOLVER.resolve(fromProxy()
                                .header("X-Forwarded-Host", host255 + "a")
                                .build())
                        .host())
                .isEqualTo("app.example");
    }

    @Test
    void aForwardedHostOfAnUntrustedPeerIsIgnored() {
        FakeRequest request = FakeRequest.from("198.51.100.20")
                .header("X-Forwarded-Host", "evil.example")
                .build();
        assertThat(RESOLVER.resolve(request).host()).isEqualTo("app.example");
    }

    @ParameterizedTest(name = "proto={0} host={1} port={2} -> {3}://{4}:{5}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // nothing forwarded: the request's own
                "-     | -                 | -      | http  | app.example  | 8080",
                // scheme changed without a port: the scheme's default port
                "https | -                 | -      | https | app.example  | 443",
                // scheme unchanged: the request's own port
                "http  | -                 | -      | http  | app.example  | 8080",
                // a forwarded host without a port: the effective scheme's default port
                "-     | shop.example      | -      | http  | shop.example | 80",
                "https | shop.example      | -      | https | shop.example | 443",
                "https | shop.example:8443 | -      | https | shop.example | 8443",
                // X-Forwarded-Port wins
                "https | shop.example:8443 | 9443   | https | shop.example | 9443",
                "https | -                 | 8443   | https | app.example  | 8443",
                "-     | -                 | 9090   | http  | app.example  | 9090",
                // invalid ports are ignored
                "https | -                 | 0      | https | app.example  | 443",
                "https | -                 | 65536  | https | app.example  | 443",
                "https | -                 | 80a    | https | app.example  | 443",
                "https | -                 | -443   | https | app.example  | 443",
                "https | shop.example      | 80, 443| https | shop.example | 443",
            })
    void effectivePortFollowsTheForwardedHeaders(
            String proto, String host, String port, String scheme, String effectiveHost, int effectivePort) {
        FakeRequest.Builder request = fromProxy().header("X-Forwarded-For", "203.0.113.7");
        if (proto != null) {
            request.header("X-Forwarded-Proto", proto);
        }
        if (host != null) {
            request.header("X-Forwarded-Host", host);
        }
        if (port != null) {
            request.header("X-Forwarded-Port", port);
        }

        ResolvedClient client = RESOLVER.resolve(request.build());

        assertThat(client.scheme()).isEqualTo(scheme);
        assertThat(client.host()).isEqualTo(effectiveHost);
        assertThat(client.port()).isEqualTo(effectivePort);
    }

    @Test
    void headerInjectionAttemptsInForwardedHeadersAreIgnored() {
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "203.0.113.7\r\nX-Admin: 1")
                .header("X-Forwarded-Proto", "https\r\nSet-Cookie: session=1")
                .header("X-Forwarded-Host", "shop.example\r\nLocation: https://evil.example")
                .header("X-Forwarded-Port", "443\r\nX: y")
                .build();

        ResolvedClient client = RESOLVER.resolve(request);

        assertThat(client)
                .isEqualTo(new ResolvedClient(
                        ip("10.0.0.1"), "http", "app.example", 8080, "203.0.113.7\r\nX-Admin: 1", true));
    }

    @Test
    void aForwardedHostListIsReadAtTheClientsPosition() {
        // the edge proxy appended to a host the client sent: the client must not choose the host
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
                .header("X-Forwarded-Host", "evil.example, shop.example")
                .header("X-Forwarded-Port", "1, 8443")
                .build();
        ResolvedClient client = RESOLVER.resolve(request);
        assertThat(client.host()).isEqualTo("shop.example");
        assertThat(client.port()).isEqualTo(8443);
    }

    @Test
    void aSecureRequestStaysSecureWithoutForwardedProto() {
        FakeRequest request = fromProxy()
                .scheme("https")
                .port(8443)
                .header("X-Forwarded-For", "203.0.113.7")
                .build();
        ResolvedClient client = RESOLVER.resolve(request);
        assertThat(client.secure()).isTrue();
        assertThat(client.port()).isEqualTo(8443);
    }
}
