package dev.bulwark.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TrustedProxiesTest {

    @Test
    void noneTrustsNothing() {
        TrustedProxies none = TrustedProxies.none();
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.trustsEverything()).isFalse();
        assertThat(none.entries()).isEmpty();
        assertThat(none.contains(IpAddress.of("127.0.0.1"))).isFalse();
        assertThat(none.contains(IpAddress.of("::1"))).isFalse();
        assertThat(TrustedProxies.of(List.of())).isSameAs(none);
        assertThat(none).hasToString("TrustedProxies[]");
    }

    @Test
    void entriesAreNormalizedTrimmedAndDeduplicated() {
        TrustedProxies proxies = TrustedProxies.of(List.of(
                " 10.0.0.0/8 ",
                "10.1.2.3",
                "::1",
                "2001:DB8::/32",
                "::ffff:172.16.0.0/108",
                "::ffff:192.0.2.1",
                "10.0.0.0/8",
                "\t2001:db8:0::/32"));
        assertThat(proxies.entries())
                .containsExactly(
                        "10.0.0.0/8", "10.1.2.3/32", "::1/128", "2001:db8::/32", "172.16.0.0/12", "192.0.2.1/32");
        assertThat(proxies.isEmpty()).isFalse();
        assertThat(proxies.trustsEverything()).isFalse();
        assertThat(proxies)
                .hasToString(
                        "TrustedProxies[10.0.0.0/8, 10.1.2.3/32, ::1/128, 2001:db8::/32, 172.16.0.0/12, 192.0.2.1/32]");
        assertThat(proxies).isEqualTo(TrustedProxies.of(proxies.entries()));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0, true",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 9.255.255.255, false",
        "10.0.0.0/8, 11.0.0.0, false",
        "192.168.1.128/25, 192.168.1.128, true",
        "192.168.1.128/25, 192.168.1.255, true",
        "192.168.1.128/25, 192.168.1.127, false",
        "192.168.1.128/25, 192.168.2.128, false",
        "192.0.2.7, 192.0.2.7, true",
        "192.0.2.7, 192.0.2.6, false",
        "192.0.2.7, 192.0.2.8, false",
        "0.0.0.0/0, 255.255.255.255, true",
        "0.0.0.0/0, ::1, false",
        "128.0.0.0/1, 127.255.255.255, false",
        "128.0.0.0/1, 128.0.0.0, true",
        "2001:db8::/32, 2001:db8::, true",
        "2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "2001:db8::/32, 2001:db7:ffff:ffff:ffff:ffff:ffff:ffff, false",
        "2001:db8::/32, 2001:db9::, false",
        "2001:db8:0:0:8000::/65, 2001:db8::8000:0:0:0, true",
        "2001:db8:0:0:8000::/65, 2001:db8::7fff:ffff:ffff:ffff, false",
        "2001:db8::/64, 2001:db8::ffff:ffff:ffff:ffff, true",
        "2001:db8::/64, 2001:db8:0:1::, false",
        "2001:db8::1/128, 2001:db8::1, true",
        "2001:db8::1/128, 2001:db8::2, false",
        "::/0, 2001:db8::1, true",
        "::/0, 1.2.3.4, false",
        "::1, ::1, true",
        "::1, 127.0.0.1, false",
        "::ffff:10.0.0.0/104, 10.1.2.3, true",
        "::ffff:10.0.0.0/104, ::ffff:10.1.2.3, true",
        "::ffff:10.0.0.0/104, 11.0.0.0, false",
        "10.0.0.0/8, ::ffff:10.9.9.9, true",
    })
    void containsRespectsBlockBoundaries(String entry, String address, boolean expected) {
        assertThat(TrustedProxies.of(List.of(entry)).contains(IpAddress.of(address)))
                .isEqualTo(expected);
    }

    @Test
    void containsChecksEveryBlock() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "172.16.0.0/12", "fd00::/8", "::1"));
        assertThat(proxies.contains(IpAddress.of("172.31.255.255"))).isTrue();
        assertThat(proxies.contains(IpAddress.of("172.32.0.0"))).isFalse();
        assertThat(proxies.contains(IpAddress.of("fdff::1"))).isTrue();
        assertThat(proxies.contains(IpAddress.of("fe00::1"))).isFalse();
        assertThat(proxies.contains(IpAddress.of("::1"))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0.0.0.0/0", "::/0", "::ffff:0.0.0.0/96"})
    void aZeroLengthBlockTrustsEverything(String entry) {
        assertThat(TrustedProxies.of(List.of("10.0.0.0/8", entry)).trustsEverything())
                .isTrue();
    }

    static Stream<Arguments> invalidEntries() {
        String syntax = "trusted proxy must be an IP address or CIDR block such as 10.0.0.0/8 or 2001:db8::/32: '%s'"
                + " (host names are never resolved)";
        return Stream.of(
                Arguments.of("foo.example.com", String.format(syntax, "foo.example.com")),
                Arguments.of("localhost", String.format(syntax, "localhost")),
                Arguments.of("10.0.0.0/", String.format(syntax, "10.0.0.0/")),
                Arguments.of("10.0.0.0/-1", String.format(syntax, "10.0.0.0/-1")),
                Arguments.of("10.0.0.0/8/8", String.format(syntax, "10.0.0.0/8/8")),
                Arguments.of("10.0.0.0 /8", String.format(syntax, "10.0.0.0 /8")),
                Arguments.of("/8", String.format(syntax, "/8")),
                Arguments.of("10.0.0.0-10.0.0.255", String.format(syntax, "10.0.0.0-10.0.0.255")),
                Arguments.of("10.0.0.*", String.format(syntax, "10.0.0.*")),
                Arguments.of("010.0.0.1", String.format(syntax, "010.0.0.1")),
                Arguments.of("[::1]", String.format(syntax, "[::1]")),
                Arguments.of("fe80::1%eth0", String.format(syntax, "fe80::1%eth0")),
                Arguments.of("10.0.0.0/8, 192.168.0.0/16", String.format(syntax, "10.0.0.0/8, 192.168.0.0/16")),
                Arguments.of("evil\r\n10.0.0.1", String.format(syntax, "evil\\r\\n10.0.0.1")),
                Arguments.of("", "trusted proxy must not be blank: '' (remove the empty entry)"),
                Arguments.of("  ", "trusted proxy must not be blank: '  ' (remove the empty entry)"),
                Arguments.of("\t", "trusted proxy must not be blank: '\\t' (remove the empty entry)"),
                Arguments.of(
                        "10.0.0.0/33",
                        "trusted proxy prefix length must be between 0 and 32 for an IPv4 block: '10.0.0.0/33'"),
                Arguments.of(
                        "10.0.0.0/100000",
                        "trusted proxy prefix length must be between 0 and 32 for an IPv4 block: '10.0.0.0/100000'"),
                Arguments.of(
                        "2001:db8::/129",
                        "trusted proxy prefix length must be between 0 and 128 for an IPv6 block: '2001:db8::/129'"),
                Arguments.of(
                        "::ffff:10.0.0.0/129",
                        "trusted proxy prefix length must be between 0 and 128 for an IPv6 block: '::ffff:10.0.0.0/129'"),
                Arguments.of(
                        "10.0.0.1/8",
                        "trusted proxy CIDR block must not have bits set after its prefix length: '10.0.0.1/8'"
                                + " (did you mean 10.0.0.0/8?)"),
                Arguments.of(
                        "192.168.1.130/25",
                        "trusted proxy CIDR block must not have bits set after its prefix length: '192.168.1.130/25'"
                                + " (did you mean 192.168.1.128/25?)"),
                Arguments.of(
                        "2001:db8::1/32",
                        "trusted proxy CIDR block must not have bits set after its prefix length: '2001:db8::1/32'"
                                + " (did you mean 2001:db8::/32?)"),
                Arguments.of(
                        "::ffff:10.0.0.1/104",
                        "trusted proxy CIDR block must not have bits set after its prefix length: '::ffff:10.0.0.1/104'"
                                + " (did you mean 10.0.0.0/8?)"),
                Arguments.of(
                        "::ffff:10.0.0.0/80",
                        "trusted proxy CIDR block must not have bits set after its prefix length: '::ffff:10.0.0.0/80'"
                                + " (did you mean ::/80?)"));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("invalidEntries")
    void invalidEntriesAreRejectedWithTheEntryAndTheFix(String entry, String message) {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/8", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        assertThatNullPointerException()
                .isThrownBy(() -> TrustedProxies.of(null))
                .withMessage("entries");
        assertThatNullPointerException()
                .isThrownBy(() -> TrustedProxies.of(Arrays.asList("10.0.0.0/8", null)))
                .withMessage("entries element");
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8"));
        assertThatNullPointerException()
                .isThrownBy(() -> proxies.contains(null))
                .withMessage("address");
    }

    @Test
    void entriesCannotBeModified() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8"));
        assertThatThrownBy(() -> proxies.entries().add("0.0.0.0/0")).isInstanceOf(UnsupportedOperationException.class);
    }
}
