package dev.bulwark.core.cors;

import static dev.bulwark.core.cors.CorsDecision.Outcome.ALLOWED;
import static dev.bulwark.core.cors.CorsDecision.Outcome.NOT_CORS;
import static dev.bulwark.core.cors.CorsDecision.Outcome.ORIGIN_REJECTED;
import static dev.bulwark.core.cors.CorsDecision.Outcome.PREFLIGHT_OK;
import static dev.bulwark.core.cors.CorsDecision.Outcome.PREFLIGHT_REJECTED;
import static dev.bulwark.core.cors.CorsDecision.Outcome.SAME_ORIGIN;
import static dev.bulwark.core.cors.CorsDecision.Reason.HEADER_NOT_ALLOWED;
import static dev.bulwark.core.cors.CorsDecision.Reason.METHOD_NOT_ALLOWED;
import static dev.bulwark.core.cors.CorsDecision.Reason.ORIGIN_NOT_ALLOWED;
import static dev.bulwark.core.cors.CorsDecision.Reason.PRIVATE_NETWORK_NOT_ALLOWED;
import static dev.bulwark.core.cors.Requests.actual;
import static dev.bulwark.core.cors.Requests.preflight;
import static dev.bulwark.core.cors.Requests.request;
import static dev.bulwark.core.cors.Requests.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.TestRequest;
import dev.bulwark.core.TestResponseHeaders;
import dev.bulwark.core.cors.CorsDecision.Outcome;
import dev.bulwark.core.cors.CorsDecision.Reason;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CORS protocol as the Fetch standard (section 3.2) specifies it: credentials × wildcards × {@code Authorization} ×
 * method case × {@code Vary}. Each row states the exact headers written, so anything extra fails.
 */
class CorsConformanceTest {

    private static final String APP = "https://app.example.com";
    private static final String VARY_PREFLIGHT =
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    private static final String VARY_PREFLIGHT_PNA = VARY_PREFLIGHT + ", Access-Control-Request-Private-Network";

    /** One row: a policy, a request, and everything the answer must (and must only) contain. */
    record Row(
            Consumer<CorsPolicy.Builder> policy,
            TestRequest request,
            Outcome outcome,
            @Nullable Reason reason,
            Map<String, String> headers,
            @Nullable String vary) {}

    private static Consumer<CorsPolicy.Builder> anyOrigin() {
        return p -> p.allowedOrigins("*");
    }

    private static Consumer<CorsPolicy.Builder> app() {
        return p -> p.allowedOrigins(APP);
    }

    private static Consumer<CorsPolicy.Builder> appWithCredentials() {
        return p -> p.allowedOrigins(APP).allowCredentials(true);
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Arguments row(
            String name,
            Consumer<CorsPolicy.Builder> policy,
            TestRequest request,
            Outcome outcome,
            @Nullable Reason reason,
            Map<String, String> headers,
            @Nullable String vary) {
        return Arguments.of(Named.of(name, new Row(policy, request, outcome, reason, headers, vary)));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // --- actual requests: wildcard origin vs credentials
                row(
                        "any origin without credentials: ACAO *, Vary Origin (requests without Origin get no ACAO)",
                        anyOrigin(),
                        actual("GET", APP),
                        ALLOWED,
                        null,
                        headers("Access-Control-Allow-Origin", "*"),
                        "Origin"),
                row(
                        "any origin accepts the opaque origin null with ACAO *",
                        anyOrigin(),
                        actual("GET", "null"),
                        ALLOWED,
                        null,
                        headers("Access-Control-Allow-Origin", "*"),
                        "Origin"),
                row(
                        "exact origin without credentials: echoed, Vary Origin",
                        app(),
                        actual("GET", APP),
                        ALLOWED,
                        null,
                        headers("Access-Control-Allow-Origin", APP),
                        "Origin"),
                row(
                        "exact origin with credentials: echoed with ACAC true",
                        appWithCredentials(),
                        actual("POST", APP),
                        ALLOWED,
                        null,
                        headers("Access-Control-Allow-Origin", APP, "Access-Control-Allow-Credentials", "true"),
                        "Origin"),
                row(
                        "exposed headers on actual responses",
                        p -> p.allowedOrigins(APP).exposedHeaders("X-Total-Count", "ETag"),
                        actual("GET", APP),
                        ALLOWED,
                        null,
                        headers(
                                "Access-Control-Allow-Origin",
                                APP,
                                "Access-Control-Expose-Headers",
                                "X-Total-Count, ETag"),
                        "Origin"),
                row(
                        "exposed * without credentials",
                        p -> p.allowedOrigins("*").exposedHeaders("*"),
                        actual("GET", APP),
                        ALLOWED,
                        null,
                        headers("Access-Control-Allow-Origin", "*", "Access-Control-Expose-Headers", "*"),
                        "Origin"),
                row(
                        "unlisted origin: no CORS header, still Vary Origin",
                        appWithCredentials(),
                        actual("GET", "https://other.example.com"),
                        ORIGIN_REJECTED,
                        ORIGIN_NOT_ALLOWED,
                        headers(),
                        "Origin"),
                row(
                        "null origin is never matched by listed origins",
                        app(),
                        actual("GET", "null"),
                        ORIGIN_REJECTED,
                        ORIGIN_NOT_ALLOWED,
                        headers(),
                        "Origin"),
                row(
                        "no Origin header: not CORS, still Vary Origin",
                        app(),
                        request("GET", "/api/items"),
                        NOT_CORS,
                        null,
                        headers(),
                        "Origin"),
                row(
                        "no Origin header under any origin: nothing at all",
                        anyOrigin(),
                        request("GET", "/api/items"),
                        NOT_CORS,
                        null,
                        headers(),
                        "Origin"),
                row(
                        "a policy allowing no origin never varies",
                        p -> {},
                        actual("GET", APP),
                        ORIGIN_REJECTED,
                        ORIGIN_NOT_ALLOWED,
                        headers(),
                        null),
                row(
                        "same-origin request with Origin: untouched, still Vary",
                        app(),
                        actual("POST", "https://api.example.com"),
                        SAME_ORIGIN,
                        null,
                        headers(),
                        "Origin"),

                // --- actual requests: methods (simple methods always pass, case-sensitive)
                row(
                        "simple method GET passes even when only PUT is listed",
                        p -> p.allowedOrigins(APP).allowedMethods("PUT"),
                        actual("GET", APP),
                        ALLOWED,
                        null,
                        headers("Access-Control-Allow-Origin", APP),
                        "Origin"),
                row(
                        "unlisted non-simple method gets no CORS header",
                        p -> p.allowedOrigins(APP).allowedMethods("PUT"),
                        actual("DELETE", APP),
                        ORIGIN_REJECTED,
                        METHOD_NOT_ALLOWED,
                        headers(),
                        "Origin"),
                row(
                        "lower-case get is not the simple method GET",
                        app(),
                        actual("get", APP),
                        ORIGIN_REJECTED,
                        METHOD_NOT_ALLOWED,
                        headers(),
                        "Origin"),
                row(
                        "method * allows any actual method without credentials",
                        p -> p.allowedOrigins(APP).allowedMethods("*"),
                        actual("PATCH", APP),
                        ALLOWED,
                        null,
                        headers("Access-Control-Allow-Origin", APP),
                        "Origin"),

                // --- preflights: wildcards without credentials
                row(
                        "preflight under any origin: ACAO *, default methods, max age",
                        anyOrigin(),
                        preflight(APP, "POST"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", "*",
                                "Access-Control-Allow-Methods", "GET, HEAD, POST",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT),
                row(
                        "method * answers ACAM *",
                        p -> p.allowedOrigins("*").allowedMethods("*"),
                        preflight(APP, "PROPFIND"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", "*",
                                "Access-Control-Allow-Methods", "*",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT),
                row(
                        "header * echoes the requested names in lower case",
                        p -> p.allowedOrigins("*").allowedHeaders("*"),
                        preflight(APP, "POST", "X-Trace-Id, content-type"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", "*",
                                "Access-Control-Allow-Methods", "GET, HEAD, POST",
                                "Access-Control-Allow-Headers", "x-trace-id, content-type",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT),
                row(
                        "header * never covers Authorization",
                        p -> p.allowedOrigins("*").allowedHeaders("*"),
                        preflight(APP, "POST", "authorization"),
                        PREFLIGHT_REJECTED,
                        HEADER_NOT_ALLOWED,
                        headers(),
                        VARY_PREFLIGHT),
                row(
                        "header * plus a listed Authorization allows it",
                        p -> p.allowedOrigins("*").allowedHeaders("*", "Authorization"),
                        preflight(APP, "POST", "authorization,x-trace-id"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", "*",
                                "Access-Control-Allow-Methods", "GET, HEAD, POST",
                                "Access-Control-Allow-Headers", "authorization, x-trace-id",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT),

                // --- preflights: credentials with listed values
                row(
                        "credentialed preflight: exact origin, ACAC, listed methods and headers",
                        p -> p.allowedOrigins(APP)
                                .allowCredentials(true)
                                .allowedMethods("GET", "DELETE")
                                .allowedHeaders("Content-Type", "Authorization"),
                        preflight(APP, "DELETE", "authorization,content-type"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", APP,
                                "Access-Control-Allow-Credentials", "true",
                                "Access-Control-Allow-Methods", "GET, DELETE",
                                "Access-Control-Allow-Headers", "content-type, authorization",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT),
                row(
                        "no Access-Control-Allow-Headers when none were asked for",
                        appWithCredentials(),
                        preflight(APP, "POST"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", APP,
                                "Access-Control-Allow-Credentials", "true",
                                "Access-Control-Allow-Methods", "GET, HEAD, POST",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT),
                row(
                        "header names are case-insensitive",
                        p -> p.allowedOrigins(APP).allowedHeaders("X-Custom"),
                        preflight(APP, "POST", "X-CUSTOM"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", APP,
                                "Access-Control-Allow-Methods", "GET, HEAD, POST",
                                "Access-Control-Allow-Headers", "x-custom",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT),
                row(
                        "unlisted header is rejected without any CORS header",
                        p -> p.allowedOrigins(APP).allowedHeaders("content-type"),
                        preflight(APP, "POST", "content-type, x-other"),
                        PREFLIGHT_REJECTED,
                        HEADER_NOT_ALLOWED,
                        headers(),
                        VARY_PREFLIGHT),
                row(
                        "methods are case-sensitive in preflights",
                        p -> p.allowedOrigins(APP).allowedMethods("PATCH"),
                        preflight(APP, "patch"),
                        PREFLIGHT_REJECTED,
                        METHOD_NOT_ALLOWED,
                        headers(),
                        VARY_PREFLIGHT),
                row(
                        "a listed method in its exact case passes",
                        p -> p.allowedOrigins(APP).allowedMethods("PATCH"),
                        preflight(APP, "PATCH"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", APP,
                                "Access-Control-Allow-Methods", "PATCH",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT),
                row(
                        "a preflight method must be listed, even GET",
                        p -> p.allowedOrigins(APP).allowedMethods("PUT"),
                        preflight(APP, "GET"),
                        PREFLIGHT_REJECTED,
                        METHOD_NOT_ALLOWED,
                        headers(),
                        VARY_PREFLIGHT),
                row(
                        "preflight from an unlisted origin",
                        appWithCredentials(),
                        preflight("https://evil.example.net", "POST"),
                        PREFLIGHT_REJECTED,
                        ORIGIN_NOT_ALLOWED,
                        headers(),
                        VARY_PREFLIGHT),
                row(
                        "configured max age",
                        p -> p.allowedOrigins(APP).maxAge(Duration.ofMinutes(10)),
                        preflight(APP, "GET"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", APP,
                                "Access-Control-Allow-Methods", "GET, HEAD, POST",
                                "Access-Control-Max-Age", "600"),
                        VARY_PREFLIGHT),
                row(
                        "preflight without Origin is not CORS",
                        app(),
                        request("OPTIONS", "/api/items").header("Access-Control-Request-Method", "PUT"),
                        NOT_CORS,
                        null,
                        headers(),
                        "Origin"),

                // --- Private Network Access: only when opted in AND asked for
                row(
                        "PNA opted in and asked for",
                        p -> p.allowedOrigins(APP).allowPrivateNetwork(true),
                        preflight(APP, "GET").header("Access-Control-Request-Private-Network", "true"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", APP,
                                "Access-Control-Allow-Methods", "GET, HEAD, POST",
                                "Access-Control-Max-Age", "86400",
                                "Access-Control-Allow-Private-Network", "true"),
                        VARY_PREFLIGHT_PNA),
                row(
                        "PNA opted in but not asked for: no PNA header (CVE-2024-6221)",
                        p -> p.allowedOrigins(APP).allowPrivateNetwork(true),
                        preflight(APP, "GET"),
                        PREFLIGHT_OK,
                        null,
                        headers(
                                "Access-Control-Allow-Origin", APP,
                                "Access-Control-Allow-Methods", "GET, HEAD, POST",
                                "Access-Control-Max-Age", "86400"),
                        VARY_PREFLIGHT_PNA),
                row(
                        "PNA asked for but not opted in",
                        app(),
                        preflight(APP, "GET").header("Access-Control-Request-Private-Network", "true"),
                        PREFLIGHT_REJECTED,
                        PRIVATE_NETWORK_NOT_ALLOWED,
                        headers(),
                        VARY_PREFLIGHT));
    }

    @ParameterizedTest
    @MethodSource("table")
    void answersAsTheFetchStandardSpecifies(Row row) {
        Cors cors = Cors.builder().defaultPolicy(row.policy()).build();

        CorsDecision decision = cors.evaluate(row.request());

        assertThat(decision.outcome()).isEqualTo(row.outcome());
        assertThat(decision.reason()).isEqualTo(row.reason());
        assertThat(decision.status())
                .isEqualTo(row.outcome() == PREFLIGHT_OK ? 204 : row.outcome() == PREFLIGHT_REJECTED ? 403 : 0);
        assertThat(decision.headers()).containsExactlyEntriesOf(row.headers());
        assertThat(decision.vary()).isEqualTo(row.vary());
        assertThat(decision.varyOrigin()).isEqualTo(row.vary() != null);

        TestResponseHeaders response = written(decision);
        Map<String, String> expected = new LinkedHashMap<>();
        if (row.vary() != null) {
            expected.put("Vary", row.vary());
        }
        expected.putAll(row.headers());
        assertThat(response.asMap()).containsExactlyEntriesOf(expected);
    }
}
