package dev.bulwark.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.0.0.0            | 0.0.0.0",
                "1.2.3.4            | 1.2.3.4",
                "255.255.255.255    | 255.255.255.255",
                "10.0.0.1           | 10.0.0.1",
                "192.168.100.200    | 192.168.100.200",
                "127.0.0.1          | 127.0.0.1",
            })
    void ipv4DottedQuadsParseToThemselves(String literal, String canonical) {
        IpAddress address = IpAddress.of(literal);
        assertThat(address.isIpv4()).isTrue();
        assertThat(address.bitLength()).isEqualTo(32);
        assertThat(address).hasToString(canonical);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // RFC 5952 section 4: lower case, no leading zeros, longest zero run compressed, leftmost on a tie
                "2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1",
                "2001:DB8::1                             | 2001:db8::1",
                "2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1",
                "2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1",
                "2001:db8::1:0:0:0:1                     | 2001:db8:0:1::1",
                "2001:0:0:1:0:0:0:1                      | 2001:0:0:1::1",
                "0:0:0:0:0:0:0:0                         | ::",
                "::                                      | ::",
                "::1                                     | ::1",
                "0:0:0:0:0:0:0:1                         | ::1",
                "1::                                     | 1::",
                "1:0:0:0:0:0:0:0                         | 1::",
                "fe80::1:2                               | fe80::1:2",
                "1:2:3:4:5:6:7:8                         | 1:2:3:4:5:6:7:8",
                "1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0",
                "::2:3:4:5:6:7:8                         | 0:2:3:4:5:6:7:8",
                "1:0:2:0:3:0:4:0                         | 1:0:2:0:3:0:4:0",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "1:2:3:4:5:6:1.2.3.4                     | 1:2:3:4:5:6:102:304",
                "::1.2.3.4                               | ::102:304",
                "64:ff9b::192.0.2.33                     | 64:ff9b::c000:221",
                "2001:db8:abcd:12::ffff:0:1              | 2001:db8:abcd:12:0:ffff:0:1",
            })
    void ipv6LiteralsParseToTheirRfc5952Form(String literal, String canonical) {
        IpAddress address = IpAddress.of(literal);
        assertThat(address.isIpv4()).isFalse();
        assertThat(address.bitLength()).isEqualTo(128);
        assertThat(address).hasToString(canonical);
        assertThat(IpAddress.of(canonical)).isEqualTo(address);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "::ffff:1.2.3.4                 | 1.2.3.4",
                "::FFFF:10.0.0.1                | 10.0.0.1",
                "::ffff:0102:0304               | 1.2.3.4",
                "0:0:0:0:0:ffff:c000:0201       | 192.0.2.1",
                "0000:0000:0000:0000:0000:ffff:7f00:1 | 127.0.0.1",
            })
    void ipv4MappedIpv6AddressesAreUnwrappedToIpv4(String literal, String ipv4) {
        IpAddress address = IpAddress.of(literal);
        assertThat(address.isIpv4()).isTrue();
        assertThat(address).isEqualTo(IpAddress.of(ipv4)).hasToString(ipv4);
        assertThat(address.bytes()).hasSize(4);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(
            strings = {
                "",
                "1",
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.",
                ".1.2.3",
                "1..2.3",
                "256.0.0.1",
                "1.2.3.256",
                "999.1.1.1",
                "010.0.0.1",
                "1.2.3.04",
                "00.1.2.3",
                "1.2.3.4 ",
                " 1.2.3.4",
                "1.2.3.-4",
                "+1.2.3.4",
                "0x7f.0.0.1",
                "1.2.3.4a",
                "1234.1.1.1",
                "localhost",
                "example.com",
                "1.2.3.٤",
            })
    void invalidIpv4LiteralsAreRejected(String literal) {
        assertThat(IpAddress.parse(literal)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(
            strings = {
                ":",
                ":::",
                "::::",
                "1:",
                ":1",
                "1::2::3",
                "::1::",
                "1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7:8::",
                "::1:2:3:4:5:6:7:8",
                "1::2:3:4:5:6:7:8",
                "12345::1",
                "1:2:3:4:5:6:7:g",
                "fe80::1%eth0",
                "fe80::1%1",
                "[::1]",
                "[::1]:80",
                "::1 ",
                "1:2:3:4:5:6:7:1.2.3.4",
                "1:2:3:4:5:6:1.2.3",
                "::1.2.3.4:5",
                "::1.2.3.04",
                "::256.1.1.1",
                "1.2.3.4::",
                "::ffff:1.2.3.4.5",
                "1:2:3:4:5::6:7:8",
                "0000:0000:0000:0000:0000:0000:0000:00001",
                "::١",
                "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555",
            })
    void invalidIpv6LiteralsAreRejected(String literal) {
        assertThat(IpAddress.parse(literal)).isEmpty();
    }

    @Test
    void literalsLongerThan45CharactersAreRejectedUnread() {
        String longest = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
        assertThat(longest).hasSize(45);
        assertThat(IpAddress.parse(longest)).isPresent();
        assertThat(IpAddress.parse(" " + longest)).isEmpty();
        assertThat(IpAddress.parse("1".repeat(1_000_000))).isEmpty();
    }

    @Test
    void ofRejectsAnythingButALiteralAndEscapesControlCharacters() {
        assertThatThrownBy(() -> IpAddress.of("evil.example\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an IP address literal: 'evil.example\\r\\nX-Injected: 1'");
        assertThatThrownBy(() -> IpAddress.of("localhost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an IP address literal: 'localhost'");
    }

    @Test
    void bytesAreInNetworkOrderAndDefensivelyCopied() {
        IpAddress v4 = IpAddress.of("192.0.2.1");
        assertThat(v4.bytes()).containsExactly(192, 0, 2, 1);
        v4.bytes()[0] = 0;
        assertThat(v4.bytes()[0]).isEqualTo((byte) 192);

        IpAddress v6 = IpAddress.of("2001:db8::ff00:42:8329");
        assertThat(v6.bytes())
                .containsExactly(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29);
    }

    @Test
    void toInetAddressUsesTheBytesWithoutNameLookup() {
        assertThat(IpAddress.of("192.0.2.1").toInetAddress())
                .isInstanceOf(Inet4Address.class)
                .extracting(a -> a.getHostAddress())
                .isEqualTo("192.0.2.1");
        assertThat(IpAddress.of("2001:db8::1").toInetAddress())
                .isInstanceOf(Inet6Address.class)
                .extracting(a -> a.getHostAddress())
                .isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(IpAddress.of("::ffff:192.0.2.1").toInetAddress()).isInstanceOf(Inet4Address.class);
    }

    @ParameterizedTest(name = "{0} loopback={1}")
    @CsvSource({
        "127.0.0.1, true",
        "127.255.255.254, true",
        "::1, true",
        "::ffff:127.0.0.1, true",
        "128.0.0.1, false",
        "126.255.255.255, false",
        "::, false",
        "::2, false",
        "0.0.0.0, false",
        "fe80::1, false",
    })
    void loopbackCoversTheIpv4BlockAndTheIpv6Address(String literal, boolean loopback) {
        assertThat(IpAddress.of(literal).isLoopback()).isEqualTo(loopback);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
        "192.0.2.130, 32, 192.0.2.130",
        "192.0.2.130, 25, 192.0.2.128",
        "192.0.2.130, 24, 192.0.2.0",
        "192.0.2.130, 8, 192.0.0.0",
        "192.0.2.130, 1, 128.0.0.0",
        "192.0.2.130, 0, 0.0.0.0",
        "2001:db8:1:2:3:4:5:6, 128, 2001:db8:1:2:3:4:5:6",
        "2001:db8:1:2:3:4:5:6, 127, 2001:db8:1:2:3:4:5:6",
        "2001:db8:1:2:3:4:5:7, 127, 2001:db8:1:2:3:4:5:6",
        "2001:db8:1:2:3:4:5:6, 96, 2001:db8:1:2:3:4::",
        "2001:db8:1:2:3:4:5:6, 65, 2001:db8:1:2::",
        "2001:db8:1:2:8003:4:5:6, 65, 2001:db8:1:2:8000::",
        "2001:db8:1:2:3:4:5:6, 64, 2001:db8:1:2::",
        "2001:db8:1:2:3:4:5:6, 63, 2001:db8:1:2::",
        "2001:db8:1:2:3:4:5:6, 56, 2001:db8:1::",
        "2001:db8:1:2:3:4:5:6, 48, 2001:db8:1::",
        "2001:db8:1:2:3:4:5:6, 1, ::",
        "ffff:db8:1:2:3:4:5:6, 1, 8000::",
        "2001:db8:1:2:3:4:5:6, 0, ::",
    })
    void prefixKeepsOnlyTheLeadingBits(String literal, int bits, String network) {
        assertThat(IpAddress.of(literal).prefix(bits)).isEqualTo(IpAddress.of(network));
    }

    @Test
    void prefixOfAMappedAddressIsAnIpv4Prefix() {
        // express-rate-limit CVE-2026-30827: an IPv6 /56 mask on a mapped address put every IPv4 client together
        IpAddress mapped = IpAddress.of("::ffff:198.51.100.7");
        assertThat(mapped.bitLength()).isEqualTo(32);
        assertThat(mapped.prefix(32)).isEqualTo(IpAddress.of("198.51.100.7"));
        assertThat(IpAddress.of("::ffff:198.51.100.7").prefix(24))
                .isNotEqualTo(IpAddress.of("::ffff:203.0.113.7").prefix(24));
    }

    @Test
    void prefixOutOfRangeIsRejected() {
        assertThatThrownBy(() -> IpAddress.of("10.0.0.1").prefix(33))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix length must be between 0 and 32 for an IPv4 address: 33");
        assertThatThrownBy(() -> IpAddress.of("::1").prefix(129))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix length must be between 0 and 128 for an IPv6 address: 129");
        assertThatThrownBy(() -> IpAddress.of("::1").prefix(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix length must be between 0 and 128 for an IPv6 address: -1");
    }

    @Test
    void equalityIsByAddressNotByText() {
        assertThat(IpAddress.of("2001:DB8:0::1"))
                .isEqualTo(IpAddress.of("2001:db8::0:1"))
                .hasSameHashCodeAs(IpAddress.of("2001:db8::0:1"));
        assertThat(IpAddress.of("0.0.0.1")).isNotEqualTo(IpAddress.of("::1"));
        assertThat(IpAddress.of("::102:304")).isNotEqualTo(IpAddress.of("1.2.3.4"));
        assertThat(IpAddress.of("1.2.3.4")).isNotEqualTo("1.2.3.4");
    }

    @Test
    void parseNeverThrowsOnRandomInput() {
        Random random = new Random(42);
        String alphabet = "0123456789abcdefABCDEF:.%[]/ \t\r\n,_-xX\u0000\u00ff\u0660";
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(48)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String literal = new String(chars);
            Optional<IpAddress> parsed = IpAddress.parse(literal);
            // whatever parses round-trips through its canonical form
            parsed.ifPresent(a -> assertThat(IpAddress.of(a.toString())).isEqualTo(a));
        }
    }

    @Test
    void dottedQuadsParseExactlyAsASplitOnDotsDoes() {
        // compare the one-pass parser with the obvious definition on strings that are mostly digits and dots, so
        // that near-misses (leading zeros, 256, empty or long octets, stray characters, a digit from another script)
        // are common
        Random random = new Random(7);
        String alphabet = "0123456789./:a \u0660";
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            String literal = nearDottedQuad(random, alphabet);
            Long expected = referenceIpv4(literal);
            Optional<IpAddress> parsed = IpAddress.parse(literal);
            if (expected == null) {
                // an IPv6 literal from the same alphabet (':', 'a', digits and dots) may parse, as IPv6
                assertThat(parsed.filter(IpAddress::isIpv4)).as("'%s'", literal).isEmpty();
            } else {
                accepted++;
                IpAddress address = parsed.orElseThrow(() -> new AssertionError("rejected '" + literal + "'"));
                assertThat(address.isIpv4()).as("'%s'", literal).isTrue();
                assertThat(address.lowerBits() & 0xffffffffL)
                        .as("'%s'", literal)
                        .isEqualTo(expected);
            }
        }
        assertThat(accepted).as("random dotted quads accepted").isGreaterThan(20_000);
        for (int v : new int[] {0, 1, 9, 10, 99, 100, 199, 200, 249, 250, 255}) {
            String literal = v + "." + v + "." + v + "." + v;
            assertThat(IpAddress.of(literal).toString()).isEqualTo(literal);
        }
    }

    /** Returns three to five octets of 0 to 3 digits (up to 299, some with a leading zero), sometimes with one typo. */
    private static String nearDottedQuad(Random random, String alphabet) {
        StringBuilder sb = new StringBuilder();
        int parts = 3 + (random.nextInt(8) == 0 ? 2 * random.nextInt(2) : 1);
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                sb.append('.');
            }
            int kind = random.nextInt(20);
            if (kind == 0) {
                continue; // empty octet
            }
            if (kind == 1) {
                sb.append('0'); // leading zero
            }
            sb.append(random.nextInt(kind == 2 ? 10_000 : 300));
        }
        if (random.nextInt(4) == 0) {
            sb.setCharAt(random.nextInt(sb.length()), alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** A dotted quad by definition: four dot-separated decimal octets, 0 to 255, no leading zeros. */
    private static @Nullable Long referenceIpv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long value = 0;
        for (String part : parts) {
            if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
                return null;
            }
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        assertThatNullPointerException().isThrownBy(() -> IpAddress.parse(null)).withMessage("literal");
        assertThatNullPointerException().isThrownBy(() -> IpAddress.of(null)).withMessage("literal");
    }
}
