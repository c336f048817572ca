package dev.bulwark.core.cors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.TestResponseHeaders;
import org.junit.jupiter.api.Test;

class VaryTest {

    private final TestResponseHeaders response = new TestResponseHeaders();

    @Test
    void setsVaryWhenAbsent() {
        Vary.append(response, "Origin, Access-Control-Request-Method");

        assertThat(response.all("Vary")).containsExactly("Origin, Access-Control-Request-Method");
    }

    @Test
    void appendsToAnExistingVaryWithoutReplacingIt() {
        response.set("Vary", "Accept-Encoding");

        Vary.append(response, "Origin");

        assertThat(response.all("Vary")).containsExactly("Accept-Encoding", "Origin");
    }

    @Test
    void addsOnlyMissingTokensComparedIgnoringCase() {
        response.set("Vary", "accept-encoding,  ORIGIN\t");

        Vary.append(response, "Origin, Access-Control-Request-Method, Accept-Encoding");

        assertThat(response.all("Vary")).containsExactly("accept-encoding,  ORIGIN\t", "Access-Control-Request-Method");
    }

    @Test
    void addsNothingWhenEveryTokenIsPresent() {
        response.set("Vary", "Origin, Access-Control-Request-Method");

        Vary.append(response, "access-control-request-method,origin");

        assertThat(response.all("Vary")).containsExactly("Origin, Access-Control-Request-Method");
    }

    @Test
    void leavesVaryStarAlone() {
        response.set("Vary", "*");

        Vary.append(response, "Origin");

        assertThat(response.all("Vary")).containsExactly("*");
    }

    @Test
    void doesNotRepeatATokenListedTwiceInTheInput() {
        response.set("Vary", "Accept");

        Vary.append(response, "Origin, origin");

        assertThat(response.all("Vary")).containsExactly("Accept", "Origin");
    }

    @Test
    void appendingTwiceIsIdempotent() {
        Vary.append(response, "Origin");
        Vary.append(response, "Origin");

        assertThat(response.all("Vary")).containsExactly("Origin");
    }

    @Test
    void tokenPrefixesAreNotMatches() {
        response.set("Vary", "Origin-Agent-Cluster");

        Vary.append(response, "Origin");

        assertThat(response.all("Vary")).containsExactly("Origin-Agent-Cluster", "Origin");
    }

    @Test
    void decisionsAppendTheirVary() {
        response.set("Vary", "Accept-Encoding");
        Cors cors = Cors.of(
                CorsPolicy.builder().allowedOrigins("https://app.example.com").build());

        cors.evaluate(Requests.actual("GET", "https://app.example.com")).writeTo(response);

        assertThat(response.all("Vary")).containsExactly("Accept-Encoding", "Origin");
        assertThat(response.get("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    }
}
