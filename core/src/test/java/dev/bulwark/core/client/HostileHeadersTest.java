package dev.bulwark.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.bulwark.core.RequestView;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Oversized, numerous and random forwarded headers: bounded work, and never an exception. */
@Timeout(10)
class HostileHeadersTest {

    private static final ClientAddressResolver RESOLVER = ClientAddressResolver.builder()
            .trustedProxies(List.of("10.0.0.0/8", "fd00::/8"))
            .useForwardedHeader(true)
            .build();

    private static FakeRequest.Builder fromProxy() {
        return FakeRequest.from("10.0.0.1");
    }

    @Test
    void aMegabyteOfGarbageBeforeAValidRightPartIsNeverRead() {
        String garbage = "x\"\\,;[:".repeat(150_000); // over 1 MB, with quotes, escapes and separators
        String xForwardedFor = garbage + ", 203.0.113.7, 10.0.0.3, 10.0.0.2";

        ResolvedClient client = RESOLVER.resolve(
                fromProxy().header("X-Forwarded-For", xForwardedFor).build());

        assertThat(client.address()).isEqualTo(IpAddress.of("203.0.113.7"));
        assertThat(client.forwardedChain())
                .hasSize(4096)
                .isEqualTo(xForwardedFor.substring(xForwardedFor.length() - 4096));
    }

    @Test
    void aMegabyteOfGarbageBeforeAValidForwardedRightPartIsNeverRead() {
        String garbage = "for=\"x\\\",;".repeat(120_000);
        String forwarded = garbage + ", for=203.0.113.7;proto=https, for=10.0.0.2";

        ResolvedClient client =
                RESOLVER.resolve(fromProxy().header("Forwarded", forwarded).build());

        assertThat(client.address()).isEqualTo(IpAddress.of("203.0.113.7"));
        assertThat(client.scheme()).isEqualTo("https");
        assertThat(client.forwardedChain()).hasSize(4096);
    }

    @Test
    void aHundredThousandEntriesCostOnlyTheHopLimit() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            sb.append("198.51.")
                    .append((i >> 8) & 0xff)
                    .append('.')
                    .append(i & 0xff)
                    .append(", ");
        }
        sb.append("203.0.113.7, 10.0.0.2");
        FakeRequest request =
                fromProxy().header("X-Forwarded-For", sb.toString()).build();

        ResolvedClient client = RESOLVER.resolve(request);

        assertThat(client.address()).isEqualTo(IpAddress.of("203.0.113.7"));
        assertThat(client.forwardedChain()).hasSize(4096);
    }

    @Test
    void aHundredThousandTrustedEntriesStopAtTheHopLimit() {
        String chain = "10.0.0.9, ".repeat(100_000) + "10.0.0.2";
        ResolvedClient client =
                RESOLVER.resolve(fromProxy().header("X-Forwarded-For", chain).build());
        assertThat(client.address()).isEqualTo(IpAddress.of("10.0.0.9"));
    }

    @Test
    void tenThousandHeaderLinesAreReadFromTheRightOnly() {
        FakeRequest.Builder request = fromProxy();
        for (int i = 0; i < 10_000; i++) {
            request.header("X-Forwarded-For", "6.6.6." + (i % 256));
        }
        request.header("X-Forwarded-For", "203.0.113.7");
        request.header("X-Forwarded-For", "10.0.0.2");

        ResolvedClient client = RESOLVER.resolve(request.build());

        assertThat(client.address()).isEqualTo(IpAddress.of("203.0.113.7"));
        assertThat(client.forwardedChain()).hasSize(4096).endsWith("6.6.6.15, 203.0.113.7, 10.0.0.2");
    }

    @Test
    void aFragmentCutOffByTheLengthLimitIsNeverTrusted() {
        // the right-most 64 characters start with "98.51.100.200", a fragment of the real client's address
        String chain = "203.0.113.90, 198.51.100.200" + ", 10.0.0.1".repeat(4) + ", 10.0.0.10";
        ClientAddressResolver resolver =
                RESOLVER.toBuilder().maxHeaderLength(64).build();

        ResolvedClient client =
                resolver.resolve(fromProxy().header("X-Forwarded-For", chain).build());

        assertThat(client.forwardedChain()).isEqualTo("98.51.100.200" + ", 10.0.0.1".repeat(4) + ", 10.0.0.10");
        assertThat(client.address()).isEqualTo(IpAddress.of("10.0.0.1"));
    }

    @Test
    void aCompleteLookingFirstEntryAfterTheCutIsStillAFragment() {
        String chain = "7.7.7.7, 198.51.100.200" + ", 10.0.0.1".repeat(5);
        ClientAddressResolver resolver =
                RESOLVER.toBuilder().maxHeaderLength(64).build();

        ResolvedClient client =
                resolver.resolve(fromProxy().header("X-Forwarded-For", chain).build());

        assertThat(client.forwardedChain()).startsWith("198.51.100.200,");
        assertThat(client.address()).isEqualTo(IpAddress.of("10.0.0.1"));
    }

    @Test
    void linesJoinedAcrossTheLengthLimitKeepTheirRightMostCharacters() {
        ClientAddressResolver resolver =
                RESOLVER.toBuilder().maxHeaderLength(64).build();
        FakeRequest request = fromProxy()
                .header("X-Forwarded-For", "1".repeat(100))
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-For", "10.0.0.2")
                .build();

        ResolvedClient client = resolver.resolve(request);

        String joined = "1".repeat(100) + ", 203.0.113.7, 10.0.0.2";
        assertThat(client.forwardedChain()).isEqualTo(joined.substring(joined.length() - 64));
        assertThat(client.address()).isEqualTo(IpAddress.of("203.0.113.7"));
    }

    @Test
    void randomHeadersNeverThrow() {
        Random random = new Random(20_260_101L);
        String[] pieces = {
            "1.2.3.4",
            "10.0.0.2",
            "fd00::2",
            "[2001:db8::1]:80",
            "::ffff:",
            "unknown",
            "_x",
            "for=",
            "proto=",
            "host=",
            "by=",
            "https",
            "http",
            "\"",
            "\\",
            ",",
            ", ",
            ";",
            "=",
            ":",
            "[",
            "]",
            "%",
            " ",
            "\t",
            "\r\n",
            "\u0000",
            "\u00ff",
            "\u0660",
            "\ud83d",
            "255",
            "65536",
            ".",
            "x"
        };
        String[] names = {"X-Forwarded-For", "Forwarded", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port"};
        String[] peers = {"10.0.0.1", "fd00::1", "198.51.100.20", "", "garbage", "[fd00::1]", "fe80::1%eth0"};
        ClientAddressResolver small =
                RESOLVER.toBuilder().maxHeaderLength(64).maxHops(3).build();
        // resolveUnguarded bypasses the guard in resolve(), which would hide an exception
        assertThatCode(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        FakeRequest.Builder request = FakeRequest.from(peers[random.nextInt(peers.length)]);
                        int headers = random.nextInt(6);
                        for (int h = 0; h < headers; h++) {
                            StringBuilder value = new StringBuilder();
                            int length = random.nextInt(30);
                            for (int p = 0; p < length; p++) {
                                value.append(pieces[random.nextInt(pieces.length)]);
                            }
                            request.header(names[random.nextInt(names.length)], value.toString());
                        }
                        FakeRequest built = request.build();
                        RESOLVER.resolveUnguarded(built);
                        small.resolveUnguarded(built);
                    }
                })
                .doesNotThrowAnyException();
    }

    @Test
    void aRequestViewThatBreaksItsContractDoesNotBreakTheRequest() {
        RequestView broken = new BrokenRequest();
        ResolvedClient client = RESOLVER.resolve(broken);
        assertThat(client).isEqualTo(new ResolvedClient(IpAddress.of("0.0.0.0"), "http", "", 0, null, false));
    }

    /** Claims to come from a trusted proxy, then throws from {@link #headers(String)}. */
    private static final class BrokenRequest implements RequestView {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public String host() {
            return "app.example";
        }

        @Override
        public int port() {
            return 80;
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String requestUri() {
            return "/";
        }

        @Override
        public @Nullable String query() {
            return null;
        }

        @Override
        public @Nullable String header(String name) {
            throw new IllegalStateException("request already recycled");
        }

        @Override
        public List<String> headers(String name) {
            throw new IllegalStateException("request already recycled");
        }

        @Override
        public String peerAddress() {
            return "10.0.0.1";
        }

        @Override
        public @Nullable String principalName() {
            return null;
        }
    }
}
