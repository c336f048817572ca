package dev.bulwark.core.cors;

import static dev.bulwark.core.cors.Requests.actual;
import static dev.bulwark.core.cors.Requests.preflight;
import static dev.bulwark.core.cors.Requests.request;
import static dev.bulwark.core.cors.Requests.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.TestRequest;
import dev.bulwark.core.TestResponseHeaders;
import dev.bulwark.core.cors.CorsDecision.Outcome;
import dev.bulwark.core.cors.CorsDecision.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorsTest {

    private static final String APP = "https://app.example.com";

    private final Cors cors = Cors.builder()
            .mapping("public", List.of("/api/public/**"), p -> p.allowedOrigins("*"))
            .mapping("api", List.of("/api/**", "/graphql"), p -> p.allowedOrigins(APP)
                    .allowedMethods("GET", "PUT")
                    .allowCredentials(true))
            .build();

    @Test
    void firstMatchingMappingWins() {
        CorsDecision publicDecision =
                cors.evaluate(request("GET", "/api/public/status").header("Origin", APP));
        CorsDecision apiDecision = cors.evaluate(request("GET", "/api/items").header("Origin", APP));
        CorsDecision graphql = cors.evaluate(request("POST", "/graphql").header("Origin", APP));

        assertThat(publicDecision.mapping()).isEqualTo("public");
        assertThat(publicDecision.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(apiDecision.mapping()).isEqualTo("api");
        assertThat(apiDecision.header("access-control-allow-origin")).isEqualTo(APP);
        assertThat(apiDecision.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(graphql.mapping()).isEqualTo("api");
    }

    @Test
    void unmappedPathWithoutDefaultPolicyIsNotApplicableAndWritesNothing() {
        TestRequest request = request("GET", "/static/app.js").header("Origin", APP);

        CorsDecision decision = cors.evaluate(request);

        assertThat(decision.outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
        assertThat(decision.mapping()).isEmpty();
        assertThat(decision.varyOrigin()).isFalse();
        assertThat(written(decision).asMap()).isEmpty();
    }

    @Test
    void unmappedPathFallsBackToTheDefaultPolicy() {
        Cors withDefault = Cors.builder()
                .mapping("api", List.of("/api/**"), CorsPolicy.defaults())
                .defaultPolicy(CorsPolicy.builder().allowedOrigins(APP).build())
                .build();

        CorsDecision decision =
                withDefault.evaluate(request("GET", "/static/app.js").header("Origin", APP));
        CorsDecision api = withDefault.evaluate(request("GET", "/api/x").header("Origin", APP));

        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(decision.mapping()).isEqualTo("default");
        assertThat(api.outcome()).isEqualTo(Outcome.ORIGIN_REJECTED);
        assertThat(withDefault.mappingNames()).containsExactly("api");
        assertThat(withDefault.policy("default")).isPresent();
        assertThat(withDefault.policy("api")).isPresent();
        assertThat(withDefault.policy("missing")).isEmpty();
    }

    @Test
    void engineWithoutAnyPolicyDecidesNothing() {
        Cors empty = Cors.builder().build();

        assertThat(empty.evaluate(preflight(APP, "PUT")).outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
    }

    @ParameterizedTest(name = "{0}://{1}:{2} sees {3} as same-origin: {4}")
    @CsvSource({
        "https, api.example.com, 443, https://api.example.com, true",
        "https, API.Example.com, 443, https://api.example.com, true",
        "https, api.example.com, 8443, https://api.example.com:8443, true",
        "https, api.example.com, 8443, https://api.example.com, false",
        "https, api.example.com, 443, http://api.example.com, false",
        "http, api.example.com, 80, http://api.example.com, true",
        "http, api.example.com, 80, https://api.example.com, false",
        "https, api.example.com, 443, https://api.example.com.evil.net, false",
        "https, api.example.com, 443, https://evil.api.example.com, false",
        "http, ::1, 8080, http://[::1]:8080, true",
        "http, [::1], 8080, http://[::1]:8080, true",
        "https, api.example.com, 443, https://api.example.comx, false"
    })
    void sameOriginRequestsAreLeftAlone(String scheme, String host, int port, String origin, boolean same) {
        TestRequest request = new TestRequest()
                .scheme(scheme)
                .host(host)
                .port(port)
                .method("POST")
                .path("/api/items")
                .header("Origin", origin);

        CorsDecision decision = cors.evaluate(request);

        assertThat(decision.outcome() == Outcome.SAME_ORIGIN).isEqualTo(same);
        if (same) {
            assertThat(decision.headers()).isEmpty();
            assertThat(decision.vary()).isEqualTo("Origin");
        }
    }

    @Test
    void sameOriginPreflightGoesToTheApplication() {
        CorsDecision decision = cors.evaluate(preflight("https://api.example.com", "DELETE"));

        assertThat(decision.outcome()).isEqualTo(Outcome.SAME_ORIGIN);
        assertThat(decision.isPreflight()).isFalse();
        assertThat(decision.status()).isZero();
    }

    @Test
    void optionsWithoutRequestMethodIsAnActualRequest() {
        CorsDecision decision = cors.evaluate(actual("OPTIONS", APP));

        assertThat(decision.outcome()).isEqualTo(Outcome.ORIGIN_REJECTED);
        assertThat(decision.reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
    }

    @Test
    void writeToReplacesCorsHeadersButAppendsVary() {
        TestResponseHeaders response = new TestResponseHeaders();
        response.set("Access-Control-Allow-Origin", "https://stale.example.com");
        response.set("Vary", "Accept-Encoding");

        cors.evaluate(actual("GET", APP)).writeTo(response);

        assertThat(response.all("Access-Control-Allow-Origin")).containsExactly(APP);
        assertThat(response.all("Vary")).containsExactly("Accept-Encoding", "Origin");
    }

    @Test
    void listenerSeesEveryApplicableDecision() {
        List<String> seen = new ArrayList<>();
        Cors listened = Cors.builder()
                .mapping("api", List.of("/api/**"), p -> p.allowedOrigins(APP))
                .listener((mapping, decision) -> seen.add(mapping + ":" + decision.outcome() + ":" + decision.reason()))
                .build();

        listened.evaluate(actual("GET", APP));
        listened.evaluate(preflight("https://evil.example.net", "GET"));
        listened.evaluate(request("GET", "/other").header("Origin", APP));

        assertThat(seen).containsExactly("api:ALLOWED:null", "api:PREFLIGHT_REJECTED:ORIGIN_NOT_ALLOWED");
    }

    @Test
    void failingListenerDoesNotBreakRequests() {
        Cors listened = Cors.builder()
                .defaultPolicy(p -> p.allowedOrigins(APP))
                .listener((mapping, decision) -> {
                    throw new IllegalStateException("boom");
                })
                .build();

        assertThat(listened.evaluate(actual("GET", APP)).outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(listened.evaluate(actual("GET", APP)).outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void originRegexIsMatchedAgainstTheWholeValidatedOrigin() {
        Cors withRegex = Cors.of(CorsPolicy.builder()
                .allowedOriginRegex("https://pr-[0-9]+\\.preview\\.example\\.com")
                .build());

        assertThat(withRegex
                        .evaluate(actual("GET", "https://pr-42.preview.example.com"))
                        .outcome())
                .isEqualTo(Outcome.ALLOWED);
        assertThat(withRegex
                        .evaluate(actual("GET", "https://pr-42.preview.example.com.evil.net"))
                        .outcome())
                .isEqualTo(Outcome.ORIGIN_REJECTED);
        assertThat(withRegex
                        .evaluate(actual("GET", "https://xpr-42.preview.example.com"))
                        .outcome())
                .isEqualTo(Outcome.ORIGIN_REJECTED);
        assertThat(withRegex
                        .evaluate(actual("GET", "https://pr-42.preview.example.com/"))
                        .reason())
                .isEqualTo(Reason.MALFORMED_ORIGIN);
    }

    @Test
    void regexNeverSeesUnvalidatedInput() {
        Cors withRegex = Cors.of(CorsPolicy.builder()
                .allowedOriginRegex("https://app\\.example\\.com(\\s.*)?")
                .build());

        CorsDecision decision = withRegex.evaluate(actual("GET", "https://app.example.com\r\nX-Evil: 1"));

        assertThat(decision.reason()).isEqualTo(Reason.MALFORMED_ORIGIN);
    }

    @Test
    void allowedActualDecisionReportsItsHeadersInOrder() {
        CorsDecision decision = cors.evaluate(actual("PUT", APP));

        assertThat(decision.headers())
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("Access-Control-Allow-Origin", APP),
                        org.assertj.core.api.Assertions.entry("Access-Control-Allow-Credentials", "true"));
        assertThat(decision.toString())
                .isEqualTo("CorsDecision{ALLOWED, mapping=api, vary=Origin, headers={Access-Control-Allow-Origin=" + APP
                        + ", Access-Control-Allow-Credentials=true}}");
    }
}
