package dev.bulwark.core.cors;

import static dev.bulwark.core.cors.CorsDecision.Reason.HEADERS_TOO_LONG;
import static dev.bulwark.core.cors.CorsDecision.Reason.MALFORMED_HEADERS;
import static dev.bulwark.core.cors.CorsDecision.Reason.MALFORMED_METHOD;
import static dev.bulwark.core.cors.CorsDecision.Reason.MALFORMED_ORIGIN;
import static dev.bulwark.core.cors.CorsDecision.Reason.ORIGIN_NOT_ALLOWED;
import static dev.bulwark.core.cors.Requests.actual;
import static dev.bulwark.core.cors.Requests.preflight;
import static dev.bulwark.core.cors.Requests.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.TestResponseHeaders;
import dev.bulwark.core.cors.CorsDecision.Outcome;
import dev.bulwark.core.cors.CorsDecision.Reason;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Origins and header values attackers send, each of which must be rejected without any CORS header, as an actual
 * request and as a preflight. The policy allows {@code https://example.com}, {@code https://www.example.com} and every
 * subdomain of {@code example.com}, with credentials.
 */
class CorsAttackTest {

    private final Cors cors = Cors.builder()
            .defaultPolicy(
                    p -> p.allowedOrigins("https://example.com", "https://www.example.com", "https://*.example.com")
                            .allowedMethods("GET", "POST", "PUT")
                            .allowedHeaders("content-type")
                            .allowCredentials(true))
            .build();

    static Stream<Arguments> hostileOrigins() {
        return Stream.of(
                Arguments.of("suffix without a label boundary", "https://evilexample.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("suffix of a subdomain", "https://www.evilexample.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("allowed origin as a prefix", "https://example.com.evil.net", ORIGIN_NOT_ALLOWED),
                Arguments.of("subdomain as a prefix", "https://www.example.com.evil.net", ORIGIN_NOT_ALLOWED),
                Arguments.of("unescaped-dot lookalike", "https://wwwXexample.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("hyphen lookalike", "https://www-example.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("user info", "https://example.com@evil.net", MALFORMED_ORIGIN),
                Arguments.of("user info with subdomain", "https://www.example.com:@evil.net", MALFORMED_ORIGIN),
                Arguments.of("scheme downgrade", "http://example.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("scheme downgrade of a subdomain", "http://a.example.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("other scheme", "wss://example.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("other port", "https://example.com:8443", ORIGIN_NOT_ALLOWED),
                Arguments.of("other port on a subdomain", "https://a.example.com:8443", ORIGIN_NOT_ALLOWED),
                Arguments.of(
                        "explicit default port (browsers never send it)",
                        "https://example.com:443",
                        ORIGIN_NOT_ALLOWED),
                Arguments.of("trailing dot", "https://example.com.", MALFORMED_ORIGIN),
                Arguments.of("trailing dot on a subdomain", "https://a.example.com.", MALFORMED_ORIGIN),
                Arguments.of("trailing slash", "https://example.com/", MALFORMED_ORIGIN),
                Arguments.of("path", "https://example.com/evil", MALFORMED_ORIGIN),
                Arguments.of("upper-case host", "https://EXAMPLE.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("upper-case subdomain", "https://EVIL.example.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("upper-case scheme", "HTTPS://example.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("null", "null", ORIGIN_NOT_ALLOWED),
                Arguments.of("upper-case null", "NULL", MALFORMED_ORIGIN),
                Arguments.of("Cyrillic a lookalike", "https://ex\u0430mple.com", MALFORMED_ORIGIN),
                Arguments.of("Cyrillic a in a subdomain", "https://\u0430.example.com", MALFORMED_ORIGIN),
                Arguments.of("punycode lookalike", "https://xn--exmple-cua.com", ORIGIN_NOT_ALLOWED),
                Arguments.of("CR LF injection", "https://example.com\r\nSet-Cookie: a=b", MALFORMED_ORIGIN),
                Arguments.of("LF injection", "https://example.com\nX-Evil: 1", MALFORMED_ORIGIN),
                Arguments.of("NUL byte", "https://example.com\u0000.evil.net", MALFORMED_ORIGIN),
                Arguments.of("leading space", " https://example.com", MALFORMED_ORIGIN),
                Arguments.of("trailing space", "https://example.com ", MALFORMED_ORIGIN),
                Arguments.of("two origins", "https://example.com, https://evil.net", MALFORMED_ORIGIN),
                Arguments.of(
                        "two origins separated by space", "https://example.com https://evil.net", MALFORMED_ORIGIN),
                Arguments.of("percent-encoded dot", "https://example.com%2eevil.net", MALFORMED_ORIGIN),
                Arguments.of("backslash", "https://evil.net\\.example.com", MALFORMED_ORIGIN),
                Arguments.of("empty label", "https://evil..example.com", MALFORMED_ORIGIN),
                Arguments.of("bare domain", "example.com", MALFORMED_ORIGIN),
                Arguments.of("empty", "", MALFORMED_ORIGIN),
                Arguments.of("file origin", "file://", MALFORMED_ORIGIN),
                Arguments.of("port out of range", "https://example.com:65536", MALFORMED_ORIGIN),
                Arguments.of("port with leading zero", "https://example.com:0443", MALFORMED_ORIGIN),
                Arguments.of("overlong label", "https://" + "a".repeat(64) + ".example.com", MALFORMED_ORIGIN),
                Arguments.of("overlong origin", "https://" + "a.".repeat(300) + "example.com", MALFORMED_ORIGIN));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileOrigins")
    void hostileOriginGetsNoCorsHeaderOnAnActualRequest(String attack, String origin, Reason reason) {
        CorsDecision decision = cors.evaluate(actual("GET", origin));

        assertThat(decision.outcome()).isEqualTo(Outcome.ORIGIN_REJECTED);
        assertThat(decision.reason()).isEqualTo(reason);
        assertNoCorsHeaders(written(decision));
        assertThat(decision.vary()).isEqualTo("Origin");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileOrigins")
    void hostileOriginPreflightIsRejectedWith403(String attack, String origin, Reason reason) {
        CorsDecision decision = cors.evaluate(preflight(origin, "PUT", "content-type"));

        assertThat(decision.outcome()).isEqualTo(Outcome.PREFLIGHT_REJECTED);
        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.reason()).isEqualTo(reason);
        assertNoCorsHeaders(written(decision));
    }

    static Stream<Arguments> hostileRequestHeaders() {
        String names33 = IntStream.range(0, 33).mapToObj(i -> "x-h" + i).collect(Collectors.joining(","));
        return Stream.of(
                Arguments.of("CR LF injection", "content-type\r\nSet-Cookie: a=b", MALFORMED_HEADERS),
                Arguments.of("LF injection", "content-type\nx-evil", MALFORMED_HEADERS),
                Arguments.of("colon", "content-type: text/html", MALFORMED_HEADERS),
                Arguments.of("space inside a name", "content type", MALFORMED_HEADERS),
                Arguments.of("non-ASCII name", "x-\u00e9vil", MALFORMED_HEADERS),
                Arguments.of("semicolon separator", "content-type;x-evil", MALFORMED_HEADERS),
                Arguments.of("too long", "x-" + "a".repeat(1023), HEADERS_TOO_LONG),
                Arguments.of("too many names", names33, HEADERS_TOO_LONG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequestHeaders")
    void hostileRequestHeadersAreRejected(String attack, String requestHeaders, Reason reason) {
        CorsDecision decision = cors.evaluate(preflight("https://example.com", "PUT", requestHeaders));

        assertThat(decision.outcome()).isEqualTo(Outcome.PREFLIGHT_REJECTED);
        assertThat(decision.reason()).isEqualTo(reason);
        assertNoCorsHeaders(written(decision));
    }

    static List<String> hostileMethods() {
        return List.of(
                "PUT\r\nSet-Cookie: a=b",
                "PUT\n",
                "PUT ",
                " PUT",
                "PUT,DELETE",
                "P\u00dcT",
                "",
                "PUT" + "T".repeat(100));
    }

    @ParameterizedTest
    @MethodSource("hostileMethods")
    void hostileRequestMethodIsRejected(String method) {
        CorsDecision decision = cors.evaluate(preflight("https://example.com", method));

        assertThat(decision.outcome()).isEqualTo(Outcome.PREFLIGHT_REJECTED);
        assertThat(decision.reason()).isEqualTo(MALFORMED_METHOD);
        assertNoCorsHeaders(written(decision));
    }

    @Test
    void legitimateOriginsStillPass() {
        for (String origin : List.of("https://example.com", "https://www.example.com", "https://a.b.example.com")) {
            assertThat(cors.evaluate(actual("GET", origin)).header("Access-Control-Allow-Origin"))
                    .as(origin)
                    .isEqualTo(origin);
            assertThat(cors.evaluate(preflight(origin, "PUT", "Content-Type")).outcome())
                    .as(origin)
                    .isEqualTo(Outcome.PREFLIGHT_OK);
        }
    }

    @Test
    void rejectionsAreCountedByReason() {
        cors.evaluate(actual("GET", "https://evil.net"));
        cors.evaluate(preflight("https://evil.net", "PUT"));
        cors.evaluate(preflight("https://evil.net", "PUT")); // cached, still counted
        cors.evaluate(preflight("https://example.com\r\n", "PUT"));

        Map<Reason, Long> rejections = cors.rejections();
        assertThat(rejections).containsEntry(ORIGIN_NOT_ALLOWED, 3L).containsEntry(MALFORMED_ORIGIN, 1L);
        assertThat(rejections).hasSize(Reason.values().length);
        assertThat(rejections.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(4);
    }

    private static void assertNoCorsHeaders(TestResponseHeaders response) {
        assertThat(response.asMap().keySet()).noneMatch(name -> name.startsWith("Access-Control-"));
        assertThat(response.asMap().values()).noneMatch(value -> value.contains("\r") || value.contains("\n"));
    }
}
