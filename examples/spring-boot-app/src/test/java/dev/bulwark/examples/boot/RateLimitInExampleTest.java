package dev.bulwark.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example app's rate limits on the wire: the seed's rates for anonymous and signed-in clients (behind Spring
 * Security), and the echo scope, tightened here so the test can reach it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bulwark.rate-limit.scopes.echo.rate=3/min")
class RateLimitInExampleTest {

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Value("${local.server.port}")
    int port;

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    @Test
    void anonymousAndSignedInClientsGetTheSeedRates() throws Exception {
        HttpResponse<String> anonymous = send(request("/api/hello"));
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.headers().allValues("RateLimit-Policy")).containsExactly("\"anon\";q=1000;w=3600");
        assertThat(anonymous.headers().firstValue("RateLimit").orElseThrow()).matches("\"anon\";r=99\\d;t=\\d+");

        String basic =
                "Basic " + Base64.getEncoder().encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> alice = send(request("/api/me").header("Authorization", basic));
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.headers().allValues("RateLimit-Policy")).containsExactly("\"user\";q=5000;w=3600");
        assertThat(alice.headers().firstValue("RateLimit").orElseThrow()).matches("\"user\";r=4999;t=\\d");
    }

    @Test
    void theEchoScopeAnswers429WithRetryAfterAndAProblemDocument() throws Exception {
        HttpRequest.Builder echo = request("/api/echo")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("x"));
        for (int i = 0; i < 3; i++) {
            assertThat(send(echo).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> rejected = send(echo);
        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(rejected.headers().firstValue("Retry-After")).hasValue("20");
        assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(rejected.body()).contains("\"status\":429").contains("\"policy\":\"echo\"");
        // the security headers are on the rejection too
        assertThat(rejected.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        // other endpoints are unaffected
        assertThat(send(request("/api/hello")).statusCode()).isEqualTo(200);
    }
}
