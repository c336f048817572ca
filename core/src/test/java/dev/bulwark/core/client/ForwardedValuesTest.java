package dev.bulwark.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardedValuesTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "192.0.2.1                | 192.0.2.1",
                "192.0.2.1:0              | 192.0.2.1",
                "192.0.2.1:65535          | 192.0.2.1",
                "192.0.2.1:_abc-1.x       | 192.0.2.1",
                "[2001:db8::1]            | 2001:db8::1",
                "[2001:db8::1]:443        | 2001:db8::1",
                "[2001:db8::1]:_p         | 2001:db8::1",
                "2001:db8::1              | 2001:db8::1",
                "::ffff:192.0.2.1         | 192.0.2.1",
            })
    void nodesWithOptionalPortsParse(String node, String address) {
        assertThat(ForwardedValues.parseNode(node, 0, node.length())).isEqualTo(IpAddress.of(address));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "",
                "unknown",
                "_hidden",
                "192.0.2.1:",
                "192.0.2.1:65536",
                "192.0.2.1:_",
                "192.0.2.1:_a b",
                "192.0.2.1:123456",
                "[192.0.2.1]",
                "[2001:db8::1",
                "[2001:db8::1]:",
                "[2001:db8::1]x",
                "2001:db8::1%eth0",
                "host.example",
                "host.example:80",
                "[2001:db8::1]:1234567890123456789012345678901234567890123456789",
            })
    void anythingElseIsNotANode(String node) {
        assertThat(ForwardedValues.parseNode(node, 0, node.length())).isNull();
    }

    @Test
    void rangesAreReadInPlace() {
        String header = "xx[2001:db8::1]:80yy";
        assertThat(ForwardedValues.parseNode(header, 2, 18)).isEqualTo(IpAddress.of("2001:db8::1"));
        assertThat(ForwardedValues.parseHost("xxshop.example:8443yy", 2, 19))
                .isEqualTo(new ForwardedValues.HostAndPort("shop.example", 8443));
        assertThat(ForwardedValues.parseScheme("xxHTTPSyy", 2, 7)).isEqualTo("https");
        assertThat(ForwardedValues.parsePort("xx443yy", 2, 5)).isEqualTo(443);
    }

    @Test
    void listsAreCountedAndIndexedFromTheRight() {
        String list = " a , ,b,c ,";
        assertThat(ForwardedValues.countElements(list)).isEqualTo(3);
        assertThat(ForwardedValues.countElements("")).isZero();
        long c = ForwardedValues.elementFromRight(list, 1);
        assertThat(list.substring(ForwardedValues.start(c), ForwardedValues.end(c)))
                .isEqualTo("c");
        long a = ForwardedValues.elementFromRight(list, 3);
        assertThat(list.substring(ForwardedValues.start(a), ForwardedValues.end(a)))
                .isEqualTo("a");
        assertThat(ForwardedValues.elementFromRight(list, 4)).isEqualTo(-1);
    }

    @Test
    void joinAllGivesUpBeyondTheLimit() {
        assertThat(ForwardedValues.joinAll(List.of(), 64)).isNull();
        assertThat(ForwardedValues.joinAll(List.of("a", "b"), 64)).isEqualTo("a, b");
        assertThat(ForwardedValues.joinAll(List.of("a".repeat(65)), 64)).isNull();
        assertThat(ForwardedValues.joinAll(List.of("a".repeat(31), "b".repeat(32)), 64))
                .isNull();
        assertThat(ForwardedValues.joinAll(List.of("a".repeat(30), "b".repeat(32)), 64))
                .hasSize(64);
    }

    @Test
    void forwardedChainKeepsTheRightMostCharacters() {
        assertThat(ForwardedChain.of(List.of(), 64)).isNull();
        assertThat(ForwardedChain.of(List.of("a"), 64)).isEqualTo(new ForwardedChain("a", false));
        assertThat(ForwardedChain.of(List.of("a", "b"), 64)).isEqualTo(new ForwardedChain("a, b", false));
        String left = "L".repeat(40);
        String right = "R".repeat(40);
        assertThat(ForwardedChain.of(List.of(left, right), 64))
                .isEqualTo(new ForwardedChain("L".repeat(22) + ", " + right, true));
        assertThat(ForwardedChain.of(List.of(left, "x".repeat(62)), 64))
                .isEqualTo(new ForwardedChain(", " + "x".repeat(62), true));
        assertThat(ForwardedChain.of(List.of("a".repeat(30), "b".repeat(32)), 64))
                .isEqualTo(new ForwardedChain("a".repeat(30) + ", " + "b".repeat(32), false));
    }
}
